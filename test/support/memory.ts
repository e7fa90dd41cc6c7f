import { randomBytes } from 'node:crypto';

import { authHeaders, sleep, startGateway, TEST_KEY, TestGateway } from './gateway';
import { createPostgresSchema, PostgresSchema } from './postgres';

/** Anything with a base URL: an in-process gateway (startGateway) or a spawned one. */
export interface GatewayUrl {
  url: string;
}

/** The text every injected system message starts with. */
export const INJECTED_PREFIX = 'Relevant memories from earlier conversations';

export interface Memory {
  id: string;
  object: 'memory';
  namespace: string;
  role: string;
  content: string;
  model: string | null;
  request_id: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  score?: number;
}

export interface MemoryBackend {
  name: string;
  /** Env for startGateway / spawnGateway that points the memory store at this backend. */
  setup(): Promise<Record<string, string>>;
  teardown(): Promise<void>;
}

/** Both stores the gateway supports, for `describe.each(memoryBackends())('... on $name', ...)`. */
export function memoryBackends(): MemoryBackend[] {
  // A suite may set up more than one gateway on a backend; every schema it made is dropped.
  const schemas: PostgresSchema[] = [];
  return [
    {
      name: 'SQLite (memory://)',
      setup: () => Promise.resolve({ MEMORY_ENABLED: 'true', DATA_DIR: 'memory://' }),
      teardown: () => Promise.resolve(),
    },
    {
      name: 'Postgres',
      setup: async () => {
        const schema = await createPostgresSchema();
        schemas.push(schema);
        return { MEMORY_ENABLED: 'true', DATABASE_URL: schema.url };
      },
      teardown: async () => {
        await Promise.all(schemas.splice(0).map((schema) => schema.drop()));
      },
    },
  ];
}

/**
 * Boots an in-process gateway on the backend with two keys (TEST_KEY and `otherKey`) and opens
 * its store at once, so that no test's timing includes the first open.
 */
export async function startMemoryGateway(
  backend: MemoryBackend,
  otherKey: string,
  env: Record<string, string> = {},
): Promise<TestGateway> {
  const gateway = await startGateway({
    ...(await backend.setup()),
    GATEWAY_API_KEYS: `${TEST_KEY},${otherKey}`,
    // These suites test what is recalled, not the timeout (the memory-resilience suites do): a busy CI
    // machine must not turn a slow search into a 503 or a request served without memory.
    MEMORY_RETRIEVAL_TIMEOUT_MS: '10000',
    ...env,
  });
  await memoryApi(gateway, 'GET', '/namespaces');
  return gateway;
}

let namespaces = 0;

/** A namespace no other test uses, so tests share one store without seeing each other. */
export function freshNamespace(label = 'ns'): string {
  return `${label}-${++namespaces}-${randomBytes(3).toString('hex')}`;
}

export function memoryChatUrl(gateway: GatewayUrl, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${gateway.url}/v1/memory/chat/completions${search ? `?${search}` : ''}`;
}

export function postMemoryChat(
  gateway: GatewayUrl,
  body: unknown,
  query: Record<string, string> = {},
  headers: Record<string, string> = authHeaders(),
): Promise<Response> {
  return fetch(memoryChatUrl(gateway, query), {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A call to the management API with the given key (JSON body when there is one). */
export function memoryApi(
  gateway: GatewayUrl,
  method: string,
  path: string,
  body?: unknown,
  key = TEST_KEY,
): Promise<Response> {
  return fetch(`${gateway.url}/v1/memory${path}`, {
    method,
    headers: authHeaders(key),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function memoriesPath(namespace: string, rest = ''): string {
  return `/namespaces/${encodeURIComponent(namespace)}/memories${rest}`;
}

/** Stores memories through the API and returns their ids; fails the test on anything but 201. */
export async function addMemories(
  gateway: GatewayUrl,
  namespace: string,
  items: unknown,
  key = TEST_KEY,
): Promise<string[]> {
  const response = await memoryApi(gateway, 'POST', memoriesPath(namespace), items, key);
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`adding memories to ${namespace} answered ${response.status}: ${text}`);
  }
  return (JSON.parse(text) as { data: Array<{ id: string }> }).data.map((item) => item.id);
}

/** One page (the newest 100) of a namespace; fails the test on anything but 200. */
export async function listMemories(
  gateway: GatewayUrl,
  namespace: string,
  key = TEST_KEY,
): Promise<Memory[]> {
  const page = await newestPage(gateway, namespace, key);
  if (typeof page === 'string') {
    throw new Error(`listing ${namespace} answered ${page}`);
  }
  return page;
}

/** The newest 100 memories, or the status and body of a failed answer. */
async function newestPage(
  gateway: GatewayUrl,
  namespace: string,
  key: string,
): Promise<Memory[] | string> {
  const response = await memoryApi(
    gateway,
    'GET',
    memoriesPath(namespace, '?limit=100'),
    undefined,
    key,
  );
  const text = await response.text();
  return response.status === 200
    ? (JSON.parse(text) as { data: Memory[] }).data
    : `${response.status} ${text}`;
}

/**
 * Completed turns are written asynchronously: polls the namespace until `predicate` holds and
 * returns what it saw then.
 */
export async function waitForMemories(
  gateway: GatewayUrl,
  namespace: string,
  predicate: (memories: Memory[]) => boolean,
  key = TEST_KEY,
  timeoutMs = 5000,
): Promise<Memory[]> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  for (;;) {
    const memories = await newestPage(gateway, namespace, key);
    if (typeof memories === 'string') {
      last = memories;
    } else if (predicate(memories)) {
      return memories;
    } else {
      last = JSON.stringify(memories.map((memory) => `${memory.role}: ${memory.content}`));
    }
    if (Date.now() > deadline) {
      throw new Error(
        `namespace ${namespace} did not reach the expected memories within ${timeoutMs} ms; last seen: ${last}`,
      );
    }
    await sleep(100);
  }
}

export function contents(memories: Memory[]): string[] {
  return memories.map((memory) => memory.content).sort();
}

/**
 * Proves a write did NOT happen: writes are asynchronous, so absence right after a request shows
 * nothing. This sends a turn that must be written, waits for it, and returns the namespace then;
 * anything the earlier request wrongly queued has had its chance to land by then.
 */
export async function settleWrites(
  gateway: GatewayUrl,
  namespace: string,
  key = TEST_KEY,
): Promise<{ memories: Memory[]; barrier: string[] }> {
  const marker = `barrier-${randomBytes(4).toString('hex')}`;
  // The fake upstream answers `echo: X` with X, so the answer is known and unique too.
  const response = await postMemoryChat(
    gateway,
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `echo: ${marker}` }] },
    { namespace, memory: 'write' },
    authHeaders(key),
  );
  if (response.status !== 200) {
    throw new Error(`the barrier turn answered ${response.status}: ${await response.text()}`);
  }
  await response.text();
  await waitForMemories(gateway, namespace, (all) => all.some((m) => m.content === marker), key);
  await sleep(300);
  return {
    memories: await listMemories(gateway, namespace, key),
    barrier: [`echo: ${marker}`, marker],
  };
}
