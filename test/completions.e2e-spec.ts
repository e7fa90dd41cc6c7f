import {
  authHeaders,
  chatBody,
  postChat,
  readSse,
  sleep,
  startGateway,
  TestGateway,
  UPSTREAM_KEY,
} from './support/gateway';
import { readJson } from './support/json';

describe('POST /v1/chat/completions', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  describe('without streaming', () => {
    it('should answer a chat.completion as application/json with a request id', async () => {
      const response = await postChat(gateway, chatBody());
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const completion = await readJson(response);
      expect(completion).toMatchObject({
        object: 'chat.completion',
        model: 'gpt-4o-mini',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Hello! How can I help you today?' },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
      });
    });

    it('should forward fields it does not interpret unchanged, with the gateway key upstream', async () => {
      const passthrough = {
        tools: [
          { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        ],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'object' } },
        },
        logprobs: true,
        top_logprobs: 2,
        seed: 42,
        metadata: { team: 'a' },
        a_field_from_the_future: { nested: [1, 2, 3] },
      };
      const response = await postChat(gateway, chatBody(passthrough));
      expect(response.status).toBe(200);
      const [received] = gateway.upstream.chatRequests();
      expect(received.body).toEqual(chatBody(passthrough));
      expect(received.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    });

    it('should keep an incoming x-request-id and forward it upstream', async () => {
      const response = await postChat(gateway, chatBody(), {
        ...authHeaders(),
        'x-request-id': 'trace-abc.123',
      });
      expect(response.headers.get('x-request-id')).toBe('trace-abc.123');
      expect(gateway.upstream.chatRequests()[0].headers['x-request-id']).toBe('trace-abc.123');
    });

    it('should pass a well-formed W3C traceparent on upstream, and drop a malformed one', async () => {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await postChat(gateway, chatBody(), { ...authHeaders(), traceparent });
      await postChat(gateway, chatBody(), { ...authHeaders(), traceparent: 'not-a-trace' });
      const [traced, untraced] = gateway.upstream.chatRequests();
      expect(traced.headers.traceparent).toBe(traceparent);
      expect(untraced.headers.traceparent).toBeUndefined();
    });

    it('should replace a malformed x-request-id instead of echoing it', async () => {
      const response = await postChat(gateway, chatBody(), {
        ...authHeaders(),
        'x-request-id': 'bad id\twith spaces',
      });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('should strip an explicit openai/ prefix before calling the upstream', async () => {
      await postChat(gateway, chatBody({ model: 'openai/gpt-4o' }));
      expect(gateway.upstream.chatRequests()[0].body.model).toBe('gpt-4o');
    });

    it('should let the model selector choose when the model is omitted or auto', async () => {
      const omitted = await postChat(gateway, { messages: [{ role: 'user', content: 'hi' }] });
      const auto = await postChat(gateway, chatBody({ model: 'auto' }));
      const sent = gateway.upstream.chatRequests().map((r) => r.body.model);
      expect(sent).toEqual([
        omitted.headers.get('x-gateway-selected-model'),
        auto.headers.get('x-gateway-selected-model'),
      ]);
      for (const response of [omitted, auto]) {
        expect(response.headers.get('x-gateway-selection-reason')).toMatch(/^tier=small/);
      }
    });
  });

  describe('with streaming', () => {
    it('should relay chunks as text/event-stream and end with [DONE]', async () => {
      const response = await postChat(gateway, chatBody({ stream: true }));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const frames = await readSse(response);
      expect(frames[frames.length - 1]).toBe('[DONE]');
      const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame));
      expect(chunks[0].choices[0].delta.role).toBe('assistant');
      expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(
        'Hello! How can I help you today?',
      );
      expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('stop');
      expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    });

    it('should send the usage chunk when stream_options.include_usage is set', async () => {
      const response = await postChat(
        gateway,
        chatBody({ stream: true, stream_options: { include_usage: true } }),
      );
      const frames = await readSse(response);
      const usageChunk = JSON.parse(frames[frames.length - 2]);
      expect(usageChunk.choices).toEqual([]);
      expect(usageChunk.usage.total_tokens).toBeGreaterThan(0);
      expect(gateway.upstream.chatRequests()[0].body.stream_options).toEqual({
        include_usage: true,
      });
    });

    it('should relay each chunk as it arrives instead of buffering the answer', async () => {
      gateway.upstream.enqueue({ chunks: ['one ', 'two ', 'three'], chunkDelayMs: 300 });
      const started = Date.now();
      const response = await postChat(gateway, chatBody({ stream: true }));
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let seen = '';
      let firstContentAt = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        seen += decoder.decode(value, { stream: true });
        if (!firstContentAt && seen.includes('"one "')) {
          firstContentAt = Date.now() - started;
        }
      }
      const totalMs = Date.now() - started;
      expect(seen).toContain('data: [DONE]');
      expect(totalMs).toBeGreaterThanOrEqual(850);
      expect(firstContentAt).toBeLessThan(totalMs - 500);
    });

    it('should parse upstream events split across TCP packets and skip comments', async () => {
      const chunk = (content: string) =>
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          choices: [{ index: 0, delta: { content }, finish_reason: null }],
        });
      const rawSse = `: keep-alive\n\ndata: ${chunk('héllo ')}\n\ndata: ${chunk('wörld')}\n\ndata: [DONE]\n\n`;
      gateway.upstream.enqueue({ rawSse, splitAt: 7 });
      const frames = await readSse(await postChat(gateway, chatBody({ stream: true })));
      expect(frames.slice(0, -1).map((f) => JSON.parse(f).choices[0].delta.content)).toEqual([
        'héllo ',
        'wörld',
      ]);
      expect(frames[frames.length - 1]).toBe('[DONE]');
    });

    it('should answer an upstream failure before the first chunk as an HTTP error', async () => {
      gateway.upstream.enqueue({
        status: 500,
        body: {
          error: {
            message: 'The server had an error',
            type: 'server_error',
            param: null,
            code: null,
          },
        },
      });
      const response = await postChat(gateway, chatBody({ stream: true }));
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await readJson(response)).error.message).toBe('The server had an error');
    });

    it('should end with an error event when the upstream drops after the first chunk', async () => {
      gateway.upstream.enqueue({ drop: 'after-first-chunk' });
      const response = await postChat(gateway, chatBody({ stream: true }));
      expect(response.status).toBe(200);
      const frames = await readSse(response);
      const last = JSON.parse(frames[frames.length - 1]);
      expect(last.error).toMatchObject({ type: 'server_error', message: expect.any(String) });
      expect(frames).not.toContain('[DONE]');
    });
  });

  describe('upstream failures', () => {
    it('should keep the status and message of an upstream error', async () => {
      gateway.upstream.enqueue({
        status: 404,
        body: {
          error: {
            message: 'The model `nope` does not exist',
            type: 'invalid_request_error',
            param: null,
            code: 'model_not_found',
          },
        },
      });
      const response = await postChat(gateway, chatBody({ model: 'nope' }));
      expect(response.status).toBe(404);
      expect(await readJson(response)).toEqual({
        error: {
          message: 'The model `nope` does not exist',
          type: 'invalid_request_error',
          param: null,
          code: 'model_not_found',
        },
      });
    });

    it('should pass on an upstream 429 with its retry-after', async () => {
      gateway.upstream.enqueue({
        status: 429,
        headers: { 'retry-after': '7' },
        body: {
          error: {
            message: 'Rate limit reached',
            type: 'requests',
            param: null,
            code: 'rate_limit_exceeded',
          },
        },
      });
      const response = await postChat(gateway, chatBody());
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect((await readJson(response)).error.code).toBe('rate_limit_exceeded');
    });

    it('should answer 502 when the upstream rejects the gateway credentials', async () => {
      gateway.upstream.enqueue({
        status: 401,
        body: {
          error: {
            message: 'Incorrect API key provided: sk-upstr***',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        },
      });
      const response = await postChat(gateway, chatBody());
      expect(response.status).toBe(502);
      const body = await readJson(response);
      expect(body.error.code).toBe('upstream_auth_failed');
      expect(JSON.stringify(body)).not.toContain('sk-upstr');
    });

    it('should answer 502 when the upstream drops the connection', async () => {
      gateway.upstream.enqueue({ drop: 'before-headers' });
      const response = await postChat(gateway, chatBody());
      expect(response.status).toBe(502);
      expect((await readJson(response)).error).toMatchObject({
        type: 'server_error',
        code: 'upstream_unreachable',
      });
    });

    it('should answer 502 with a generic message for a non-JSON upstream error page', async () => {
      gateway.upstream.enqueue({ status: 503, body: '<html>Service Unavailable</html>' });
      const response = await postChat(gateway, chatBody());
      expect(response.status).toBe(503);
      expect((await readJson(response)).error.message).not.toContain('<html>');
    });
  });

  describe('client disconnects', () => {
    it('should abort the upstream request when a non-streaming client goes away', async () => {
      gateway.upstream.enqueue({ hang: true });
      const controller = new AbortController();
      const request = fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: authHeaders(),
        body: JSON.stringify(chatBody()),
        signal: controller.signal,
      }).catch(() => undefined);
      await sleep(200);
      controller.abort();
      await request;
      await waitFor(() => gateway.upstream.chatRequests().filter((r) => r.aborted).length >= 1);
      expect(gateway.upstream.chatRequests().some((r) => r.aborted)).toBe(true);
    });

    it('should abort the upstream stream when a streaming client goes away', async () => {
      gateway.upstream.enqueue({
        chunks: Array.from({ length: 50 }, (_, i) => `w${i} `),
        chunkDelayMs: 100,
      });
      const controller = new AbortController();
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: authHeaders(),
        body: JSON.stringify(chatBody({ stream: true })),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      await waitFor(() => gateway.upstream.chatRequests()[0]?.aborted === true);
      expect(gateway.upstream.chatRequests()[0].aborted).toBe(true);
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await sleep(25);
  }
}
