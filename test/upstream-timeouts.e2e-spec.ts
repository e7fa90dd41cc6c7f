import { chatBody, postChat, readSse, startGateway, TestGateway } from './support/gateway';

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
    expect((await response.json()).error).toMatchObject({
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
    const body = await response.json();
    expect(body.error).toMatchObject({
      type: 'server_error',
      code: 'upstream_unreachable',
      param: null,
    });
    expect(body.error.message).not.toMatch(/at \w+ \(|node:internal/);
  });
});
