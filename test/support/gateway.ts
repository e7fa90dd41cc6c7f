import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { createGatewayApp } from '../../src/app.factory';
import { createFakeOpenAiUpstream, FakeOpenAiUpstream } from '../fakes/fake-openai-upstream';

export const TEST_KEY = 'sk-gateway-test-key-1';
export const UPSTREAM_KEY = 'sk-upstream-secret';

export interface TestGateway {
  app: NestExpressApplication;
  url: string;
  upstream: FakeOpenAiUpstream;
  close(): Promise<void>;
}

/**
 * Boots the real gateway (same factory as main.ts) on a loopback port, in front of a fresh fake
 * OpenAI upstream. `env` overrides the defaults; config is read from process.env at boot.
 */
export async function startGateway(
  env: Record<string, string | undefined> = {},
  upstreamOptions: Parameters<typeof createFakeOpenAiUpstream>[0] = {},
): Promise<TestGateway> {
  const upstream = await createFakeOpenAiUpstream(upstreamOptions).listen();
  const saved = { ...process.env };
  Object.assign(process.env, {
    OPENAI_BASE_URL: upstream.url,
    OPENAI_API_KEY: UPSTREAM_KEY,
    GATEWAY_API_KEYS: TEST_KEY,
    LOG_LEVEL: 'silent',
    THROTTLE_LIMIT: '10000',
    // Most suites test one upstream answer at a time; retries and fallbacks have their own.
    RETRY_ATTEMPTS: '0',
    MODELS_FILE: join(__dirname, '..', 'fixtures', 'catalog-without-fallbacks.yaml'),
    // Memory is off unless a suite turns it on: only memory suites need the store.
    MEMORY_ENABLED: 'false',
    DATA_DIR: 'memory://',
  });
  // CI exports DATABASE_URL for the Postgres memory suites, which pass it explicitly; every other
  // gateway stays on the embedded store.
  delete process.env.DATABASE_URL;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
  let app: NestExpressApplication;
  try {
    app = await createGatewayApp();
    await app.listen(0, '127.0.0.1');
  } finally {
    process.env = saved;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    upstream,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await upstream.close();
    },
  };
}

/**
 * startGateway for the enclosing describe: booted before its tests, closed after them, its
 * upstream reset before each.
 */
export function useGateway(env: Record<string, string | undefined> = {}): {
  readonly gateway: TestGateway;
} {
  const booted = {} as { gateway: TestGateway };
  beforeAll(async () => {
    booted.gateway = await startGateway(env);
  });
  afterAll(() => booted.gateway.close());
  beforeEach(() => booted.gateway.upstream.reset());
  return booted;
}

export function authHeaders(key = TEST_KEY): Record<string, string> {
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
}

export function chatBody(extra: Record<string, unknown> = {}) {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }], ...extra };
}

export async function postChat(
  gateway: TestGateway,
  body: unknown,
  headers: Record<string, string> = authHeaders(),
): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Reads an SSE body into its `data:` payloads, in order. */
export async function readSse(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
