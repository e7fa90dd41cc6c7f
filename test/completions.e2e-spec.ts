import { authHeaders, chatBody, postChat, UPSTREAM_KEY, useGateway } from './support/gateway';
import { readJson } from './support/json';

describe('POST /v1/chat/completions', () => {
  const booted = useGateway();

  describe('without streaming', () => {
    it('should answer a chat.completion as application/json with a request id', async () => {
      const response = await postChat(booted.gateway, chatBody());
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
      const response = await postChat(booted.gateway, chatBody(passthrough));
      expect(response.status).toBe(200);
      const [received] = booted.gateway.upstream.chatRequests();
      expect(received.body).toEqual(chatBody(passthrough));
      expect(received.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    });

    it('should keep an incoming x-request-id and forward it upstream', async () => {
      const response = await postChat(booted.gateway, chatBody(), {
        ...authHeaders(),
        'x-request-id': 'trace-abc.123',
      });
      expect(response.headers.get('x-request-id')).toBe('trace-abc.123');
      expect(booted.gateway.upstream.chatRequests()[0].headers['x-request-id']).toBe(
        'trace-abc.123',
      );
    });

    it('should pass a well-formed W3C traceparent on upstream, and drop a malformed one', async () => {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await postChat(booted.gateway, chatBody(), { ...authHeaders(), traceparent });
      await postChat(booted.gateway, chatBody(), { ...authHeaders(), traceparent: 'not-a-trace' });
      const [traced, untraced] = booted.gateway.upstream.chatRequests();
      expect(traced.headers.traceparent).toBe(traceparent);
      expect(untraced.headers.traceparent).toBeUndefined();
    });

    it('should replace a malformed x-request-id instead of echoing it', async () => {
      const response = await postChat(booted.gateway, chatBody(), {
        ...authHeaders(),
        'x-request-id': 'bad id\twith spaces',
      });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('should strip an explicit openai/ prefix before calling the upstream', async () => {
      await postChat(booted.gateway, chatBody({ model: 'openai/gpt-4o' }));
      expect(booted.gateway.upstream.chatRequests()[0].body.model).toBe('gpt-4o');
    });

    it('should let the model selector choose when the model is omitted or auto', async () => {
      const omitted = await postChat(booted.gateway, {
        messages: [{ role: 'user', content: 'hi' }],
      });
      const auto = await postChat(booted.gateway, chatBody({ model: 'auto' }));
      const sent = booted.gateway.upstream.chatRequests().map((r) => r.body.model);
      expect(sent).toEqual([
        omitted.headers.get('x-gateway-selected-model'),
        auto.headers.get('x-gateway-selected-model'),
      ]);
      for (const response of [omitted, auto]) {
        expect(response.headers.get('x-gateway-selection-reason')).toMatch(/^tier=small/);
      }
    });
  });

  describe('upstream failures', () => {
    it('should keep the status and message of an upstream error', async () => {
      booted.gateway.upstream.enqueue({
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
      const response = await postChat(booted.gateway, chatBody({ model: 'nope' }));
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
      booted.gateway.upstream.enqueue({
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
      const response = await postChat(booted.gateway, chatBody());
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect((await readJson(response)).error.code).toBe('rate_limit_exceeded');
    });

    it('should answer 502 when the upstream rejects the gateway credentials', async () => {
      booted.gateway.upstream.enqueue({
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
      const response = await postChat(booted.gateway, chatBody());
      expect(response.status).toBe(502);
      const body = await readJson(response);
      expect(body.error.code).toBe('upstream_auth_failed');
      expect(JSON.stringify(body)).not.toContain('sk-upstr');
    });

    it('should answer 502 when the upstream drops the connection', async () => {
      booted.gateway.upstream.enqueue({ drop: 'before-headers' });
      const response = await postChat(booted.gateway, chatBody());
      expect(response.status).toBe(502);
      expect((await readJson(response)).error).toMatchObject({
        type: 'server_error',
        code: 'upstream_unreachable',
      });
    });

    it('should answer 502 with a generic message for a non-JSON upstream error page', async () => {
      booted.gateway.upstream.enqueue({ status: 503, body: '<html>Service Unavailable</html>' });
      const response = await postChat(booted.gateway, chatBody());
      expect(response.status).toBe(503);
      expect((await readJson(response)).error.message).not.toContain('<html>');
    });
  });
});
