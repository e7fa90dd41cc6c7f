import {
  authHeaders,
  chatBody,
  postChat,
  readSse,
  sleep,
  startGateway,
  TEST_KEY,
  TestGateway,
} from './support/gateway';
import { parsePrometheus, Sample, sampleValue } from './support/prometheus';

const COMPLETIONS = { route: '/v1/chat/completions', method: 'POST' };
const SERVED = { provider: 'openai', model: 'gpt-4o-mini' };

async function scrape(gateway: TestGateway, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return parsePrometheus(await response.text());
}

/**
 * Requests are counted when their connection is done with them, which may be a moment after
 * the client has read the answer: scrape again until the expectation holds or time is up.
 */
async function eventually(gateway: TestGateway, check: (samples: Sample[]) => void) {
  const deadline = Date.now() + 2000;
  for (;;) {
    const samples = await scrape(gateway);
    try {
      check(samples);
      return samples;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await sleep(20);
    }
  }
}

describe('GET /metrics', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      RETRY_ATTEMPTS: '1',
      RETRY_BASE_MS: '1',
      RETRY_MAX_DELAY_MS: '5',
      RETRY_MAX_AFTER_MS: '1000',
      CIRCUIT_MIN_CALLS: '2',
      CIRCUIT_FAILURE_RATE: '0.5',
      CIRCUIT_HALF_OPEN_AFTER_MS: '60000',
      THROTTLE_LIMIT: '20',
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should count a JSON and a streamed completion, with latency, tokens and TTFT', async () => {
    const json = await postChat(gateway, chatBody());
    expect(json.status).toBe(200);
    const jsonUsage = ((await json.json()) as { usage: Record<string, number> }).usage;
    const stream = await postChat(
      gateway,
      chatBody({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(stream.status).toBe(200);
    const frames = await readSse(stream);
    const streamUsage = (JSON.parse(frames[frames.length - 2]) as { usage: Record<string, number> })
      .usage;

    const samples = await eventually(gateway, (s) =>
      expect(
        sampleValue(s, 'gateway_http_requests_total', { ...COMPLETIONS, status: '200', ...SERVED }),
      ).toBe(2),
    );
    const timed = { ...COMPLETIONS, status: '200' };
    expect(sampleValue(samples, 'gateway_http_request_duration_seconds_count', timed)).toBe(2);
    expect(
      sampleValue(samples, 'gateway_http_request_duration_seconds_bucket', {
        ...timed,
        le: '+Inf',
      }),
    ).toBe(2);
    expect(
      sampleValue(samples, 'gateway_http_request_duration_seconds_sum', timed),
    ).toBeGreaterThan(0);
    expect(sampleValue(samples, 'gateway_upstream_duration_seconds_count', SERVED)).toBe(2);
    expect(
      sampleValue(samples, 'gateway_overhead_seconds_count', { route: COMPLETIONS.route }),
    ).toBe(2);
    expect(sampleValue(samples, 'gateway_time_to_first_token_seconds_count', SERVED)).toBe(1);
    expect(sampleValue(samples, 'gateway_prompt_tokens_total', SERVED)).toBe(
      jsonUsage.prompt_tokens + streamUsage.prompt_tokens,
    );
    expect(sampleValue(samples, 'gateway_completion_tokens_total', SERVED)).toBe(
      jsonUsage.completion_tokens + streamUsage.completion_tokens,
    );
  });

  it('should label requests by route pattern, never by raw URL', async () => {
    await fetch(`${gateway.url}/health/live?probe=1`);
    await fetch(`${gateway.url}/no/such/route/123`);
    await eventually(gateway, (samples) => {
      expect(sampleValue(samples, 'gateway_http_requests_total', { route: '/health/live' })).toBe(
        1,
      );
      expect(sampleValue(samples, 'gateway_http_requests_total', { route: 'unmatched' })).toBe(1);
      expect(
        sampleValue(samples, 'gateway_http_requests_total', { route: '/metrics' }),
      ).toBeGreaterThan(0);
    });
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).not.toContain('/no/such/route');
  });

  it('should count upstream errors by kind, and retries', async () => {
    // A 500 then a success: retried once, served.
    gateway.upstream.enqueue({ status: 500 });
    expect((await postChat(gateway, chatBody())).status).toBe(200);
    // A 429 asking for a longer wait than RETRY_MAX_AFTER_MS: not retried, the client gets it.
    gateway.upstream.enqueue({ status: 429, headers: { 'retry-after': '3600' } });
    expect((await postChat(gateway, chatBody())).status).toBe(429);

    const samples = await eventually(gateway, (s) =>
      expect(sampleValue(s, 'gateway_http_requests_total', { ...COMPLETIONS, status: '429' })).toBe(
        1,
      ),
    );
    const errors = (kind: string) =>
      sampleValue(samples, 'gateway_upstream_errors_total', { provider: 'openai', kind });
    expect(errors('status_5xx')).toBe(1);
    expect(errors('rate_limited')).toBe(1);
    expect(sampleValue(samples, 'gateway_upstream_retries_total', { provider: 'openai' })).toBe(1);
    // The failed request never had a serving route.
    expect(
      sampleValue(samples, 'gateway_http_requests_total', { ...COMPLETIONS, status: '429' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'gateway_http_requests_total', {
        ...COMPLETIONS,
        status: '429',
        provider: 'unknown',
        model: 'unknown',
      }),
    ).toBe(1);
  });

  it('should show an open circuit per route, read at scrape time', async () => {
    let samples = await scrape(gateway);
    expect(
      sampleValue(samples, 'gateway_circuit_state', { route: 'openai/gpt-4o' }),
    ).toBeUndefined();
    expect(sampleValue(samples, 'gateway_circuits', { state: 'open' })).toBe(0);

    // Two failed requests in the window (each a try and its retry) open gpt-4o's circuit.
    gateway.upstream.enqueueFor('gpt-4o', ...Array.from({ length: 4 }, () => ({ status: 503 })));
    for (let request = 0; request < 2; request++) {
      expect(
        (await postChat(gateway, chatBody({ model: 'gpt-4o' }))).status,
      ).toBeGreaterThanOrEqual(500);
    }

    samples = await scrape(gateway);
    expect(sampleValue(samples, 'gateway_circuit_state', { route: 'openai/gpt-4o' })).toBe(2);
    expect(sampleValue(samples, 'gateway_circuits', { state: 'open' })).toBe(1);
    expect(sampleValue(samples, 'gateway_circuits', { state: 'closed' })).toBe(1);
  });

  it('should expose the process metrics and memory metrics', async () => {
    const samples = await scrape(gateway);
    const names = new Set(samples.map((sample) => sample.name));
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
      'gateway_memory_retrieval_seconds_count',
      'gateway_memory_injected_memories_count',
      'gateway_memory_unavailable_reads_total',
      'gateway_memory_dropped_writes_total',
      'gateway_memory_pending_writes',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('should count requests refused by the rate limiter per key, and malformed bodies', async () => {
    const limited = await startGateway({ THROTTLE_LIMIT: '1' });
    try {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${limited.url}/v1/models`, { headers: authHeaders() });
        await response.text();
      }
      // Rejected by the body parser, before any Nest code runs: still counted.
      const malformed = await postChat(limited, '{"model":', authHeaders());
      expect(malformed.status).toBe(400);
      await malformed.text();
      const samples = await scrape(limited);
      expect(sampleValue(samples, 'gateway_throttled_requests_total', { key: 'env-key-1' })).toBe(
        2,
      );
      expect(
        sampleValue(samples, 'gateway_http_requests_total', {
          route: 'unmatched',
          method: 'POST',
          status: '400',
        }),
      ).toBe(1);
    } finally {
      await limited.close();
    }
  });

  it('should be public: no proxy key needed, and never throttled', async () => {
    // THROTTLE_LIMIT is 20 per window; scrapes beyond it still answer.
    for (let i = 0; i < 25; i++) {
      const response = await fetch(`${gateway.url}/metrics`);
      expect(response.status).toBe(200);
      await response.text();
    }
  });

  it('should be documented under the ops tag', async () => {
    const document = (await (await fetch(`${gateway.url}/docs-json`)).json()) as {
      paths: Record<string, { get?: { tags?: string[] } }>;
    };
    expect(document.paths['/metrics']?.get?.tags).toEqual(['ops']);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const TOKEN = 'metrics-scrape-token-0123456789';
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => gateway.close());

  it.each([
    ['no authorization', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['a proxy key', authHeaders(TEST_KEY)],
  ])('should refuse %s with 401 in the OpenAI envelope', async (_, headers) => {
    const response = await fetch(`${gateway.url}/metrics`, { headers });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: expect.objectContaining({ type: 'invalid_request_error', code: 'invalid_api_key' }),
    });
  });

  it('should answer with the token', async () => {
    const samples = await scrape(gateway, { authorization: `Bearer ${TOKEN}` });
    expect(samples.length).toBeGreaterThan(0);
  });
});
