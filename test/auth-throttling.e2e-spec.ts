import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  authHeaders,
  chatBody,
  postChat,
  startGateway,
  TEST_KEY,
  TestGateway,
} from './support/gateway';
import { readJson } from './support/json';

describe('proxy key authentication', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('should refuse a request without a key with 401 invalid_api_key', async () => {
    const response = await postChat(gateway, chatBody(), { 'content-type': 'application/json' });
    expect(response.status).toBe(401);
    expect(await readJson(response)).toEqual({
      error: {
        message: expect.stringContaining("didn't provide an API key"),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
  });

  it('should refuse a wrong key without echoing it', async () => {
    const response = await postChat(gateway, chatBody(), authHeaders('sk-wrong-key-1234567890'));
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe('invalid_api_key');
    expect(text).not.toContain('sk-wrong-key');
  });

  it('should refuse a key that differs only in its last character', async () => {
    const response = await postChat(gateway, chatBody(), authHeaders(TEST_KEY.slice(0, -1) + 'X'));
    expect(response.status).toBe(401);
  });

  it('should accept the key in x-api-key', async () => {
    const response = await postChat(gateway, chatBody(), {
      'x-api-key': TEST_KEY,
      'content-type': 'application/json',
    });
    expect(response.status).toBe(200);
  });

  it('should not call the upstream for an unauthenticated request', async () => {
    gateway.upstream.reset();
    await postChat(gateway, chatBody(), authHeaders('sk-nope-nope-nope'));
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });

  it('should leave health probes public', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });
});

describe('keys file', () => {
  let gateway: TestGateway;
  const hashedKey = 'sk-team-b-hashed-key-0001';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(
      file,
      JSON.stringify({
        keys: [
          {
            id: 'team-a',
            key: 'sk-team-a-plain-key-0001',
            models: ['gpt-4o-mini'],
            rateLimit: { limit: 3, ttlMs: 60000 },
          },
          { id: 'team-b', sha256: createHash('sha256').update(hashedKey).digest('hex') },
        ],
      }),
    );
    gateway = await startGateway({
      GATEWAY_KEYS_FILE: file,
      GATEWAY_API_KEYS: undefined,
      THROTTLE_LIMIT: '100',
    });
  });
  afterAll(() => gateway.close());

  it('should accept a key stored only as its sha256 hash', async () => {
    const response = await postChat(gateway, chatBody(), authHeaders(hashedKey));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100');
  });

  it("should refuse a model outside the key's allowed models with 403 model_not_allowed", async () => {
    const response = await postChat(
      gateway,
      chatBody({ model: 'gpt-4o' }),
      authHeaders('sk-team-a-plain-key-0001'),
    );
    expect(response.status).toBe(403);
    expect((await readJson(response)).error).toMatchObject({
      code: 'model_not_allowed',
      param: 'model',
    });
  });

  it("should apply the key's own rate limit", async () => {
    const key = authHeaders('sk-team-a-plain-key-0001');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await postChat(gateway, chatBody(), key)).status);
    }
    // One request was spent by the 403 test above: the budget is per key, whatever the outcome.
    expect(statuses).toEqual([200, 200, 429, 429]);
  });
});

describe('throttling', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      THROTTLE_LIMIT: '3',
      THROTTLE_TTL_MS: '60000',
      GATEWAY_API_KEYS: `${TEST_KEY},sk-second-key-000001`,
    });
  });
  afterAll(() => gateway.close());

  it('should carry OpenAI rate-limit headers on every authenticated answer', async () => {
    const response = await postChat(gateway, chatBody(), authHeaders('sk-second-key-000001'));
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(response.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+m)?\d+s$/);
  });

  it('should not let requests with bad keys spend the budget (auth runs first)', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await postChat(gateway, chatBody(), authHeaders('sk-bad-bad-bad-bad'))).status).toBe(
        401,
      );
    }
    const response = await postChat(gateway, chatBody());
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
  });

  it('should answer 429 rate_limit_exceeded with retry-after once the limit is reached', async () => {
    await postChat(gateway, chatBody());
    await postChat(gateway, chatBody());
    const response = await postChat(gateway, chatBody());
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect((await readJson(response)).error).toMatchObject({
      code: 'rate_limit_exceeded',
      type: 'requests',
    });
  });

  it('should count each key separately', async () => {
    const response = await postChat(gateway, chatBody(), authHeaders('sk-second-key-000001'));
    expect(response.status).toBe(200);
  });
});

describe('with no keys configured', () => {
  it('should refuse every request unless AUTH_DISABLED=true', async () => {
    const locked = await startGateway({ GATEWAY_API_KEYS: undefined });
    try {
      const response = await postChat(locked, chatBody(), authHeaders('anything-at-all'));
      expect(response.status).toBe(401);
    } finally {
      await locked.close();
    }
    const open = await startGateway({
      GATEWAY_API_KEYS: undefined,
      AUTH_DISABLED: 'true',
      THROTTLE_LIMIT: '2',
    });
    try {
      const response = await postChat(open, chatBody(), { 'content-type': 'application/json' });
      expect(response.status).toBe(200);
      // Without keys the throttler counts per client IP.
      await postChat(open, chatBody(), { 'content-type': 'application/json' });
      expect(
        (await postChat(open, chatBody(), { 'content-type': 'application/json' })).status,
      ).toBe(429);
    } finally {
      await open.close();
    }
  });
});
