import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  authHeaders,
  chatBody,
  postChat,
  readSse,
  sleep,
  startGateway,
  TestGateway,
} from './support/gateway';

const TPM = 1000;

function remaining(response: Response): number {
  return Number(response.headers.get('x-ratelimit-remaining-tokens'));
}

describe('tokens-per-minute limits', () => {
  let gateway: TestGateway;

  beforeEach(async () => {
    gateway = await startGateway({ THROTTLE_TPM: String(TPM) });
  });
  afterEach(() => gateway.close());

  it('should reserve prompt plus requested output, then correct it from the usage', async () => {
    const first = await postChat(gateway, chatBody({ max_tokens: 300 }));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe(String(TPM));
    expect(first.headers.get('x-ratelimit-reset-tokens')).toMatch(/^\d+(m\d+)?s$|^\d+m$/);
    const reservedFirst = TPM - remaining(first);
    // The 300 asked for is held, on top of the prompt estimate.
    expect(reservedFirst).toBeGreaterThan(300);
    const { usage } = (await first.json()) as { usage: { total_tokens: number } };
    expect(usage.total_tokens).toBeLessThan(300);

    // The next reservation starts from the real usage of the first, not its 300-token estimate.
    const second = await postChat(gateway, chatBody());
    expect(second.status).toBe(200);
    const reservedSecond = reservedFirst - 300;
    expect(TPM - remaining(second)).toBe(usage.total_tokens + reservedSecond);
  });

  it('should answer 429 rate_limit_exceeded with retry-after once the budget is spent', async () => {
    expect((await postChat(gateway, chatBody({ max_tokens: 900 }))).status).toBe(200);
    // The first answer's usage brought the window back down; ask for more than what is left.
    const refused = await postChat(gateway, chatBody({ max_tokens: TPM }));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe(String(TPM));
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(body.error.message).toContain('tokens per minute');
    expect(gateway.upstream.chatRequests()).toHaveLength(1);
  });

  it('should give the reservation back when the upstream fails', async () => {
    gateway.upstream.enqueue({ status: 400 });
    const failed = await postChat(gateway, chatBody({ max_tokens: 900 }));
    expect(failed.status).toBe(400);
    const next = await postChat(gateway, chatBody({ max_tokens: 900 }));
    expect(next.status).toBe(200);
  });

  it('should correct a stream from its usage chunk', async () => {
    const streamed = await postChat(
      gateway,
      chatBody({ stream: true, stream_options: { include_usage: true }, max_tokens: 500 }),
    );
    expect(streamed.status).toBe(200);
    const frames = await readSse(streamed);
    const usage = (JSON.parse(frames.at(-2)!) as { usage: { total_tokens: number } }).usage;
    const next = await postChat(gateway, chatBody());
    expect(next.status).toBe(200);
    const reservedNext = TPM - remaining(streamed) - 500;
    expect(TPM - remaining(next)).toBe(usage.total_tokens + reservedNext);
  });
});

describe('tokens-per-minute limits from the keys file, shared through Redis', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-tpm-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("should apply a key's tpm over THROTTLE_TPM and spend one budget from two gateways", async () => {
    const key = `sk-tpm-${randomBytes(8).toString('hex')}`;
    const path = join(dir, 'keys.json');
    writeFileSync(
      path,
      JSON.stringify({ keys: [{ id: `tpm-${randomBytes(6).toString('hex')}`, key, tpm: 500 }] }),
    );
    const env = {
      GATEWAY_KEYS_FILE: path,
      THROTTLE_TPM: '100000',
      REDIS_URL: 'redis://127.0.0.1:6379',
    };
    const one = await startGateway(env);
    const two = await startGateway(env);
    try {
      const first = await postChat(one, chatBody({ max_tokens: 400 }), authHeaders(key));
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('500');
      const reserved = 500 - remaining(first);
      const { usage } = (await first.json()) as { usage: { total_tokens: number } };

      // The other gateway counts from what the first really spent, plus its own reservation,
      // which it holds while its answer is slow in coming...
      two.upstream.enqueue({ delayMs: 1500 });
      const second = postChat(two, chatBody({ max_tokens: 400 }), authHeaders(key));
      await sleep(300);
      // ...so another 400 no longer fits in 500, on the first gateway either.
      const third = await postChat(one, chatBody({ max_tokens: 400 }), authHeaders(key));
      expect(third.status).toBe(429);
      const secondAnswer = await second;
      expect(secondAnswer.status).toBe(200);
      expect(500 - remaining(secondAnswer)).toBe(usage.total_tokens + reserved);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
