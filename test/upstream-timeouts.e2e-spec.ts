import { chatBody, postChat, readSse, startGateway, TestGateway } from './support/gateway';
import { readJson } from './support/json';

describe('upstream timeouts and unreachable upstreams', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ UPSTREAM_TIMEOUT_MS: '300' });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should answer 504 when the upstream sends nothing within UPSTREAM_TIMEOUT_MS', async () => {
    gateway.upstream.enqueue({ delayMs: 1500 });
    const started = Date.now();
    const response = await postChat(gateway, chatBody());
    expect(response.status).toBe(504);
    expect((await readJson(response)).error).toMatchObject({
      type: 'server_error',
      code: 'upstream_timeout',
    });
    expect(Date.now() - started).toBeLessThan(1200);
  });

  it('should end a stream with an error event when the upstream stalls between chunks', async () => {
    gateway.upstream.enqueue({ chunks: ['a ', 'b'], chunkDelayMs: 1000 });
    const response = await postChat(gateway, chatBody({ stream: true }));
    expect(response.status).toBe(200);
    const frames = await readSse(response);
    expect(JSON.parse(frames[frames.length - 1]).error.code).toBe('upstream_timeout');
  });

  it('should keep a long stream alive while chunks keep coming faster than the timeout', async () => {
    gateway.upstream.enqueue({ chunks: ['a ', 'b ', 'c ', 'd ', 'e'], chunkDelayMs: 150 });
    const frames = await readSse(await postChat(gateway, chatBody({ stream: true })));
    expect(frames[frames.length - 1]).toBe('[DONE]');
  });
});

describe('an upstream that is not listening', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
  });
  afterAll(() => gateway.close());

  it('should answer 502 upstream_unreachable without internals', async () => {
    const response = await postChat(gateway, chatBody());
    expect(response.status).toBe(502);
    const body = await readJson(response);
    expect(body.error).toMatchObject({
      type: 'server_error',
      code: 'upstream_unreachable',
      param: null,
    });
    expect(body.error.message).not.toMatch(/at \w+ \(|node:internal/);
  });
});

describe('per-provider timeouts (OpenAI-compatible)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      UPSTREAM_TIMEOUT_MS: '60000',
      OPENAI_FIRST_BYTE_TIMEOUT_MS: '400',
      OPENAI_IDLE_TIMEOUT_MS: '2000',
      OPENAI_TOTAL_TIMEOUT_MS: '1500',
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should apply the first-byte timeout instead of UPSTREAM_TIMEOUT_MS', async () => {
    gateway.upstream.enqueue({ delayMs: 2500 });
    const started = Date.now();
    const response = await postChat(gateway, chatBody());
    expect(response.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should cut a stream that keeps moving but outlives the total timeout', async () => {
    gateway.upstream.enqueue({
      chunks: Array.from({ length: 30 }, (_, i) => `w${i} `),
      chunkDelayMs: 100,
    });
    const started = Date.now();
    const frames = await readSse(await postChat(gateway, chatBody({ stream: true })));
    const last = JSON.parse(frames[frames.length - 1]);
    expect(last.error).toMatchObject({ code: 'upstream_timeout' });
    expect(last.error.message).toContain('1500 ms');
    expect(Date.now() - started).toBeLessThan(2900);
  });
});
