import { readSse, sleep, startGateway, TEST_KEY, TestGateway } from './support/gateway';
import {
  addMemories,
  freshNamespace,
  listMemories,
  memoriesPath,
  memoryApi,
  postMemoryChat,
  waitForMemories,
} from './support/memory';
import {
  ask,
  eventually,
  FACT,
  QUESTION,
  SLOW_TIMEOUT_MS,
  storeIsBack,
} from './support/memory-resilience';
import { createPostgresSchema, PostgresSchema, postgresTarget } from './support/postgres';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';
import { readJson } from './support/json';

describe('when the Postgres store goes down mid-run', () => {
  let schema: PostgresSchema;
  let proxy: TcpProxy;
  let gateway: TestGateway;
  const RETRIEVAL_TIMEOUT_MS = 1000;

  beforeAll(async () => {
    schema = await createPostgresSchema();
    const target = postgresTarget();
    proxy = await startTcpProxy(target.port, target.host);
    gateway = await startGateway({
      MEMORY_ENABLED: 'true',
      DATABASE_URL: schema.urlVia(proxy.port),
      MEMORY_WRITE_RETRY_MS: '60000',
      MEMORY_RETRIEVAL_TIMEOUT_MS: String(RETRIEVAL_TIMEOUT_MS),
    });
    expect((await memoryApi(gateway, 'GET', '/namespaces')).status).toBe(200);
  }, SLOW_TIMEOUT_MS);
  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
    await schema?.drop();
  });
  beforeEach(() => gateway.upstream.reset());
  // A failing test must not leave the store down for the next one.
  afterEach(async () => {
    proxy.resume();
    await storeIsBack(gateway);
  }, SLOW_TIMEOUT_MS);

  it(
    'should still serve completions, without memories, marked unavailable',
    async () => {
      const namespace = freshNamespace('outage');
      await addMemories(gateway, namespace, { content: FACT });
      const healthy = await postMemoryChat(gateway, ask(QUESTION), { namespace, memory: 'read' });
      expect(healthy.headers.get('x-memory-injected')).toBe('1');

      proxy.pause();
      gateway.upstream.reset();
      const startedAt = Date.now();
      const response = await postMemoryChat(gateway, ask(QUESTION), { namespace });
      expect(response.status).toBe(200);
      expect((await readJson(response)).choices[0].message.content).toBe(
        'Hello! How can I help you today?',
      );
      expect(Date.now() - startedAt).toBeLessThan(RETRIEVAL_TIMEOUT_MS + 1500);
      expect(response.headers.get('x-memory-status')).toBe('unavailable');
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(response.headers.get('x-memory-namespace')).toBe(namespace);
      expect(gateway.upstream.chatRequests()[0].body.messages).toEqual(ask(QUESTION).messages);

      const streamed = await postMemoryChat(gateway, ask(QUESTION, { stream: true }), {
        namespace,
      });
      expect(streamed.status).toBe(200);
      expect(streamed.headers.get('x-memory-status')).toBe('unavailable');
      expect((await readSse(streamed)).at(-1)).toBe('[DONE]');
    },
    SLOW_TIMEOUT_MS,
  );

  it(
    'should answer the management API with 503 memory_unavailable',
    async () => {
      const namespace = freshNamespace('outage-api');
      const [id] = await addMemories(gateway, namespace, { content: FACT });
      proxy.pause();
      const calls: Array<[string, string, unknown?]> = [
        ['GET', '/namespaces'],
        ['GET', memoriesPath(namespace)],
        ['GET', memoriesPath(namespace, '?q=dog')],
        ['GET', memoriesPath(namespace, `/${id}`)],
        ['POST', memoriesPath(namespace), { content: 'written during the outage' }],
        ['DELETE', memoriesPath(namespace, `/${id}`)],
        ['DELETE', `/namespaces/${namespace}`],
      ];
      for (const [method, path, body] of calls) {
        const response = await memoryApi(gateway, method, path, body);
        const text = await response.text();
        expect({ call: `${method} ${path}`, status: response.status }).toEqual({
          call: `${method} ${path}`,
          status: 503,
        });
        expect(JSON.parse(text).error).toMatchObject({ code: 'memory_unavailable' });
      }
      proxy.resume();
      await storeIsBack(gateway);
      expect((await listMemories(gateway, namespace)).map((memory) => memory.id)).toEqual([id]);
    },
    SLOW_TIMEOUT_MS,
  );

  it(
    'should write the turns completed during the outage once the store is back',
    async () => {
      const namespace = freshNamespace('queued');
      proxy.pause();
      const response = await postMemoryChat(gateway, ask('I moved to Porto last week.'), {
        namespace,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-status')).toBe('unavailable');
      const requestId = response.headers.get('x-request-id');
      gateway.upstream.enqueue({ chunks: ['Porto ', 'is ', 'lovely.'] });
      const streamed = await postMemoryChat(
        gateway,
        ask('Porto has great bridges.', { stream: true }),
        { namespace },
      );
      expect(streamed.headers.get('x-memory-status')).toBe('unavailable');
      await readSse(streamed);
      // Long enough for several retries to fail against the dead store.
      await sleep(1500);

      proxy.resume();
      const memories = await waitForMemories(
        gateway,
        namespace,
        (all) => all.length >= 4,
        TEST_KEY,
        20000,
      );
      expect(memories.map((memory) => memory.content).sort()).toEqual(
        [
          'Hello! How can I help you today?',
          'I moved to Porto last week.',
          'Porto has great bridges.',
          'Porto is lovely.',
        ].sort(),
      );
      expect(memories.find((m) => m.content === 'I moved to Porto last week.')).toMatchObject({
        role: 'user',
        model: 'gpt-4o-mini',
        request_id: requestId,
      });

      await eventually('completions marked ok again', async () => {
        const again = await postMemoryChat(gateway, ask('Where did I move?'), {
          namespace,
          memory: 'read',
        });
        await again.text();
        return again.headers.get('x-memory-status') === 'ok';
      });
    },
    SLOW_TIMEOUT_MS,
  );
});
