import OpenAI from 'openai';

import { authHeaders, sleep, startGateway, TEST_KEY, TestGateway } from './support/gateway';
import { readJson } from './support/json';
import { parsePrometheus, sampleValue } from './support/prometheus';
import { RESILIENCE_CATALOG, UNAVAILABLE } from './support/routing';

const ANSWER = 'Hello! How can I help you today?';

interface Frame {
  event: string;
  /** The event as sent, checked by the assertions that follow (as readJson's bodies). */
  data: ReturnType<typeof JSON.parse>;
}

function postResponses(gateway: TestGateway, body: unknown, signal?: AbortSignal) {
  return fetch(`${gateway.url}/v1/responses`, {
    method: 'POST',
    headers: authHeaders(),
    body: JSON.stringify(body),
    signal,
  });
}

/** The SSE frames of a Responses stream: `event:` name and parsed `data:`. */
async function readFrames(response: Response): Promise<Frame[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))!.slice('event: '.length);
      const data = lines.find((line) => line.startsWith('data: '))!.slice('data: '.length);
      return { event, data: JSON.parse(data) };
    });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await sleep(25);
  }
}

describe.each([
  { kind: 'native', servesResponses: true },
  { kind: 'translated', servesResponses: false },
])('/v1/responses around the answer, $kind', ({ servesResponses }) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway(
      { RETRY_ATTEMPTS: '1', RETRY_BASE_MS: '1', THROTTLE_TPM: '1000' },
      { responses: servesResponses },
    );
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  const upstreamRequests = () =>
    servesResponses ? gateway.upstream.responsesRequests() : gateway.upstream.chatRequests();

  it('should end a stream that breaks mid-way with error and response.failed', async () => {
    gateway.upstream.enqueue({ chunks: ['Hel', 'lo'], drop: 'after-first-chunk' });
    const response = await postResponses(gateway, {
      model: 'gpt-4o-mini',
      input: 'Hi',
      stream: true,
    });
    expect(response.status).toBe(200);
    const frames = await readFrames(response);
    expect(frames.map((frame) => frame.event)).toContain('response.output_text.delta');
    const [error, failed] = frames.slice(-2);
    expect(error.event).toBe('error');
    expect(error.data).toMatchObject({ type: 'error', code: expect.any(String) });
    expect(failed.event).toBe('response.failed');
    expect(failed.data.response).toMatchObject({
      status: 'failed',
      error: { code: error.data.code },
    });
    expect(frames.map((frame) => frame.data.sequence_number)).toEqual(
      frames.map((_, index) => index),
    );
  });

  it('should abort the upstream when a streaming client goes away', async () => {
    gateway.upstream.enqueue({
      chunks: Array.from({ length: 50 }, (_, i) => `w${i} `),
      chunkDelayMs: 100,
    });
    const controller = new AbortController();
    const response = await postResponses(
      gateway,
      { model: 'gpt-4o-mini', input: 'Hi', stream: true },
      controller.signal,
    );
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await waitFor(() => upstreamRequests().some((request) => request.aborted));
    expect(upstreamRequests().filter((request) => request.aborted)).toHaveLength(1);
  });

  it('should retry a failed upstream call as chat completions are retried', async () => {
    gateway.upstream.enqueue({ status: 500 });
    const response = await postResponses(gateway, { model: 'gpt-4o-mini', input: 'Hi' });
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(body.output[0].content[0].text).toBe(ANSWER);
    expect(upstreamRequests()).toHaveLength(2);
  });

  it("should pass an upstream's 4xx on in OpenAI's error envelope, not retried", async () => {
    gateway.upstream.enqueue({
      status: 400,
      body: {
        error: {
          message: 'Invalid schema for function',
          type: 'invalid_request_error',
          param: 'tools[0].parameters',
          code: 'invalid_function_parameters',
        },
      },
    });
    const response = await postResponses(gateway, { model: 'gpt-4o-mini', input: 'Hi' });
    expect(response.status).toBe(400);
    expect((await readJson(response)).error).toMatchObject({
      message: 'Invalid schema for function',
      param: 'tools[0].parameters',
    });
    expect(upstreamRequests()).toHaveLength(1);
  });

  it('should count tokens from the Responses usage (a settled reservation frees the budget)', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
    // Each asks for 600 output tokens of a 1000-token minute: two fit only if the first one's
    // reservation was corrected down to its real (small) usage when it ended.
    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Hi',
      max_output_tokens: 600,
      stream: true,
    });
    for await (const event of stream) {
      expect(event.type).not.toBe('error');
    }
    const second = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Hi',
      max_output_tokens: 600,
    });
    expect(second.status).toBe('completed');
    const third = await client.responses
      .create({ model: 'gpt-4o-mini', input: 'Hi', max_output_tokens: 1000 })
      .catch((e: unknown) => e);
    expect(third).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
  });

  it('should be counted in /metrics under its route and the provider that served it', async () => {
    await postResponses(gateway, { model: 'gpt-4o-mini', input: 'Hi' }).then((r) => r.text());
    const samples = parsePrometheus(await (await fetch(`${gateway.url}/metrics`)).text());
    const served = sampleValue(samples, 'gateway_http_requests_total', {
      route: '/v1/responses',
      method: 'POST',
      status: '200',
      provider: 'openai',
    });
    expect(served).toBeGreaterThanOrEqual(1);
  });
});

describe('/v1/responses through the catalog', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ MODELS_FILE: RESILIENCE_CATALOG });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should fall back along the chain when the first route fails', async () => {
    gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE);
    const response = await postResponses(gateway, { model: 'tiny', input: 'Hi' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-selected-model')).toBe('big');
    expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503)');
    expect(gateway.upstream.responsesRequests().map((request) => request.model)).toEqual([
      'tiny-v1',
      'big-v1',
    ]);
    expect((await readJson(response)).status).toBe('completed');
  });

  it('should pick a model for auto and say which', async () => {
    const response = await postResponses(gateway, { model: 'auto', input: 'Hi' });
    expect(response.status).toBe(200);
    const selected = response.headers.get('x-gateway-selected-model');
    expect(['tiny', 'eye', 'mid', 'big']).toContain(selected);
    await response.text();
  });
});
