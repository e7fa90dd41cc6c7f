import {
  authHeaders,
  chatBody,
  postChat,
  readSse,
  startGateway,
  TestGateway,
} from './support/gateway';
import {
  RESILIENCE_CATALOG,
  times,
  UNAVAILABLE,
  upstreamCalls,
  upstreamModels,
} from './support/routing';
import { readJson } from './support/json';

/**
 * Retries, fallback chains and aliases against the fake upstream, with the resilience catalog:
 * tiny (alias `fast`) falls back to big (alias `smart`), which falls back to mid. The circuit
 * breaker never opens here (CIRCUIT_MIN_CALLS is out of reach): it has its own suite.
 */
describe('Routing: retries, fallbacks and aliases', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      MODELS_FILE: RESILIENCE_CATALOG,
      SELECTOR: 'gateway',
      STRAICO_API_KEY: undefined,
      RETRY_ATTEMPTS: '2',
      RETRY_BASE_MS: '10',
      RETRY_MAX_DELAY_MS: '50',
      CIRCUIT_MIN_CALLS: '100000',
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  describe('retries', () => {
    it('should retry a 503 twice on the same model and answer 200 without a fallback', async () => {
      gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE, UNAVAILABLE);

      const response = await postChat(gateway, chatBody({ model: 'tiny' }));

      expect(response.status).toBe(200);
      expect((await readJson(response)).model).toBe('tiny-v1');
      expect(upstreamModels(gateway)).toEqual(['tiny-v1', 'tiny-v1', 'tiny-v1']);
      expect(response.headers.get('x-gateway-selected-model')).toBe('tiny');
      expect(response.headers.get('x-gateway-fallbacks')).toBeNull();
    });

    it('should wait as long as the upstream asks in retry-after before retrying a 429', async () => {
      gateway.upstream.enqueueFor('tiny-v1', {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { error: { message: 'Slow down.', type: 'requests', code: 'rate_limit_exceeded' } },
      });

      const started = Date.now();
      const response = await postChat(gateway, chatBody({ model: 'tiny' }));
      const elapsed = Date.now() - started;

      expect(response.status).toBe(200);
      // RETRY_BASE_MS is 10: only retry-after explains a wait of about a second.
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(upstreamModels(gateway)).toEqual(['tiny-v1', 'tiny-v1']);
      expect(response.headers.get('x-gateway-fallbacks')).toBeNull();
    });

    it('should neither retry nor fall back on a 400, and relay the upstream error', async () => {
      gateway.upstream.enqueueFor('tiny-v1', {
        status: 400,
        body: {
          error: {
            message: "Invalid value for 'n'.",
            type: 'invalid_request_error',
            param: 'n',
            code: 'invalid_value',
          },
        },
      });

      const response = await postChat(gateway, chatBody({ model: 'tiny' }));

      expect(response.status).toBe(400);
      expect((await readJson(response)).error).toMatchObject({
        message: "Invalid value for 'n'.",
        param: 'n',
        code: 'invalid_value',
      });
      expect(upstreamModels(gateway)).toEqual(['tiny-v1']);
    });
  });

  describe('fallbacks', () => {
    it('should serve a model that keeps failing from its fallback, and say so in the headers', async () => {
      gateway.upstream.enqueueFor('tiny-v1', ...times(3, UNAVAILABLE));

      const response = await postChat(gateway, chatBody({ model: 'tiny' }));

      expect(response.status).toBe(200);
      expect((await readJson(response)).model).toBe('big-v1');
      expect(response.headers.get('x-gateway-selected-model')).toBe('big');
      expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503)');
      // Every retry on tiny first (1 + RETRY_ATTEMPTS), then big once.
      expect(upstreamModels(gateway)).toEqual(['tiny-v1', 'tiny-v1', 'tiny-v1', 'big-v1']);
    });

    it('should walk the chain in order and name every failed model', async () => {
      gateway.upstream.enqueueFor('tiny-v1', ...times(3, UNAVAILABLE));
      gateway.upstream.enqueueFor('big-v1', ...times(3, { status: 502 }));

      const response = await postChat(gateway, chatBody({ model: 'tiny' }));

      expect(response.status).toBe(200);
      expect((await readJson(response)).model).toBe('mid-v1');
      expect(response.headers.get('x-gateway-selected-model')).toBe('mid');
      expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503), big (502)');
      expect(upstreamModels(gateway)).toEqual([
        'tiny-v1',
        'tiny-v1',
        'tiny-v1',
        'big-v1',
        'big-v1',
        'big-v1',
        'mid-v1',
      ]);
    });

    it("should answer the last route's error when the whole chain fails", async () => {
      gateway.upstream.enqueueFor('big-v1', ...times(3, { status: 502 }));
      gateway.upstream.enqueueFor('mid-v1', ...times(3, UNAVAILABLE));

      const response = await postChat(gateway, chatBody({ model: 'big' }));

      expect(response.status).toBe(503);
      expect((await readJson(response)).error.message).toBe('The upstream is overloaded.');
      expect(upstreamCalls(gateway, 'big-v1')).toBe(3);
      expect(upstreamCalls(gateway, 'mid-v1')).toBe(3);
      expect(upstreamCalls(gateway, 'tiny-v1')).toBe(0);
    });

    it('should not fall back on a client error from the primary model', async () => {
      gateway.upstream.enqueueFor('tiny-v1', { status: 422 });

      const response = await postChat(gateway, chatBody({ model: 'tiny' }));

      expect(response.status).toBe(422);
      expect(upstreamModels(gateway)).toEqual(['tiny-v1']);
    });
  });

  describe('streams', () => {
    it('should retry a stream that fails before its first byte, unseen by the client', async () => {
      gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE);

      const response = await postChat(gateway, chatBody({ model: 'tiny', stream: true }));

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('x-gateway-selected-model')).toBe('tiny');
      expect(response.headers.get('x-gateway-fallbacks')).toBeNull();
      const frames = await readSse(response);
      expect(frames[frames.length - 1]).toBe('[DONE]');
      const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame));
      expect(chunks.some((chunk) => chunk.error)).toBe(false);
      expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(
        'Hello! How can I help you today?',
      );
      expect(upstreamModels(gateway)).toEqual(['tiny-v1', 'tiny-v1']);
    });

    it('should fail a stream over to the fallback before its first byte', async () => {
      gateway.upstream.enqueueFor('tiny-v1', ...times(3, UNAVAILABLE));

      const response = await postChat(gateway, chatBody({ model: 'tiny', stream: true }));

      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-selected-model')).toBe('big');
      expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503)');
      const frames = await readSse(response);
      expect(frames[frames.length - 1]).toBe('[DONE]');
      expect(JSON.parse(frames[0]).model).toBe('big-v1');
    });

    it('should end a stream that breaks after its first chunk with an error event, no retry', async () => {
      gateway.upstream.enqueueFor('tiny-v1', { drop: 'after-first-chunk' });

      const response = await postChat(gateway, chatBody({ model: 'tiny', stream: true }));

      expect(response.status).toBe(200);
      const frames = await readSse(response);
      expect(frames).not.toContain('[DONE]');
      const events = frames.map((frame) => JSON.parse(frame));
      expect(events[0].choices[0].delta.role).toBe('assistant');
      const last = events[events.length - 1];
      expect(last.error).toMatchObject({ message: expect.any(String), type: 'server_error' });
      expect(events.slice(0, -1).every((event) => event.error === undefined)).toBe(true);
      // Neither a retry on tiny nor big: bytes had reached the client.
      expect(upstreamModels(gateway)).toEqual(['tiny-v1']);
    });
  });

  describe('aliases', () => {
    it('should route an alias to its model and send the upstream id', async () => {
      const fast = await postChat(gateway, chatBody({ model: 'fast' }));
      const smart = await postChat(gateway, chatBody({ model: 'smart' }));

      expect(fast.status).toBe(200);
      expect(fast.headers.get('x-gateway-selected-model')).toBe('tiny');
      expect(smart.headers.get('x-gateway-selected-model')).toBe('big');
      expect(upstreamModels(gateway)).toEqual(['tiny-v1', 'big-v1']);
      expect((await readJson(smart)).model).toBe('big-v1');
    });

    it('should follow a fallback named by its alias (tiny falls back to `smart`)', async () => {
      gateway.upstream.enqueueFor('tiny-v1', ...times(3, UNAVAILABLE));

      const response = await postChat(gateway, chatBody({ model: 'fast' }));

      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-selected-model')).toBe('big');
      expect(upstreamCalls(gateway, 'big-v1')).toBe(1);
    });

    it('should accept the provider-qualified upstream id of a catalog model', async () => {
      const response = await postChat(
        gateway,
        chatBody({ model: 'openai/tiny-v1' }),
        authHeaders(),
      );

      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-selected-model')).toBe('tiny');
      expect(upstreamModels(gateway)).toEqual(['tiny-v1']);
    });
  });
});
