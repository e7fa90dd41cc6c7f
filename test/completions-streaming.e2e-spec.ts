import { authHeaders, chatBody, postChat, readSse, sleep, useGateway } from './support/gateway';
import { waitFor } from './support/gateway-process';
import { readJson } from './support/json';

describe('POST /v1/chat/completions', () => {
  const booted = useGateway();

  describe('with streaming', () => {
    it('should relay chunks as text/event-stream and end with [DONE]', async () => {
      const response = await postChat(booted.gateway, chatBody({ stream: true }));
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
        booted.gateway,
        chatBody({ stream: true, stream_options: { include_usage: true } }),
      );
      const frames = await readSse(response);
      const usageChunk = JSON.parse(frames[frames.length - 2]);
      expect(usageChunk.choices).toEqual([]);
      expect(usageChunk.usage.total_tokens).toBeGreaterThan(0);
      expect(booted.gateway.upstream.chatRequests()[0].body.stream_options).toEqual({
        include_usage: true,
      });
    });

    it('should relay each chunk as it arrives instead of buffering the answer', async () => {
      booted.gateway.upstream.enqueue({ chunks: ['one ', 'two ', 'three'], chunkDelayMs: 300 });
      const started = Date.now();
      const response = await postChat(booted.gateway, chatBody({ stream: true }));
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
      booted.gateway.upstream.enqueue({ rawSse, splitAt: 7 });
      const frames = await readSse(await postChat(booted.gateway, chatBody({ stream: true })));
      expect(frames.slice(0, -1).map((f) => JSON.parse(f).choices[0].delta.content)).toEqual([
        'héllo ',
        'wörld',
      ]);
      expect(frames[frames.length - 1]).toBe('[DONE]');
    });

    it('should answer an upstream failure before the first chunk as an HTTP error', async () => {
      booted.gateway.upstream.enqueue({
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
      const response = await postChat(booted.gateway, chatBody({ stream: true }));
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await readJson(response)).error.message).toBe('The server had an error');
    });

    it('should end with an error event when the upstream drops after the first chunk', async () => {
      booted.gateway.upstream.enqueue({ drop: 'after-first-chunk' });
      const response = await postChat(booted.gateway, chatBody({ stream: true }));
      expect(response.status).toBe(200);
      const frames = await readSse(response);
      const last = JSON.parse(frames[frames.length - 1]);
      expect(last.error).toMatchObject({ type: 'server_error', message: expect.any(String) });
      expect(frames).not.toContain('[DONE]');
    });
  });

  describe('client disconnects', () => {
    it('should abort the upstream request when a non-streaming client goes away', async () => {
      booted.gateway.upstream.enqueue({ hang: true });
      const controller = new AbortController();
      const request = fetch(`${booted.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: authHeaders(),
        body: JSON.stringify(chatBody()),
        signal: controller.signal,
      }).catch(() => undefined);
      await sleep(200);
      controller.abort();
      await request;
      await waitFor(
        () => booted.gateway.upstream.chatRequests().filter((r) => r.aborted).length >= 1,
        5000,
      );
      expect(booted.gateway.upstream.chatRequests().some((r) => r.aborted)).toBe(true);
    });

    it('should abort the upstream stream when a streaming client goes away', async () => {
      booted.gateway.upstream.enqueue({
        chunks: Array.from({ length: 50 }, (_, i) => `w${i} `),
        chunkDelayMs: 100,
      });
      const controller = new AbortController();
      const response = await fetch(`${booted.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: authHeaders(),
        body: JSON.stringify(chatBody({ stream: true })),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      await waitFor(() => booted.gateway.upstream.chatRequests()[0]?.aborted === true, 5000);
      expect(booted.gateway.upstream.chatRequests()[0].aborted).toBe(true);
    });
  });
});
