import type { ConfigType } from '@nestjs/config';

import { ProviderException } from '../../common/errors/provider.exception';
import { appConfig } from '../../config/app.config';
import { ChatCompletionChunk } from '../chat.types';
import { LoopbackUpstream } from '../testing/loopback-upstream';
import { OpenAiConfig } from './openai.config';
import { OpenAiProvider } from './openai.provider';

const REQUEST = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Hi' }],
  temperature: 0.2,
};
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 },
};

function sse(...events: string[]): string {
  return events.map((data) => `data: ${data}\n\n`).join('');
}

describe('OpenAiProvider', () => {
  let upstream: LoopbackUpstream;
  let provider: OpenAiProvider;
  let reports: number;

  beforeEach(async () => {
    upstream = await LoopbackUpstream.start();
    const config: OpenAiConfig = {
      apiKey: 'sk-test',
      baseUrl: `${upstream.url}/v1`,
      enabled: true,
      maxConnections: 4,
      modelsCacheTtlMs: 60_000,
      responsesApi: 'translate',
      timeouts: { connectMs: 1_000, firstByteMs: undefined, idleMs: undefined, totalMs: 0 },
    };
    const app = { upstreamTimeoutMs: 5_000 } as ConfigType<typeof appConfig>;
    provider = new OpenAiProvider(config, app);
    reports = 0;
  });

  afterEach(async () => {
    await provider.onApplicationShutdown();
    await upstream.close();
  });

  const context = () => ({
    signal: new AbortController().signal,
    requestId: 'req-7',
    traceparent: TRACEPARENT,
    report: () => (reports += 1),
  });

  it('should pass the request through as sent, with the key, request id and trace', async () => {
    upstream.reply({ json: completion });

    const answer = await provider.complete(REQUEST, context());

    expect(answer).toEqual(completion);
    const [sent] = upstream.requests;
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: REQUEST });
    expect(sent.headers).toMatchObject({
      authorization: 'Bearer sk-test',
      'x-request-id': 'req-7',
      traceparent: TRACEPARENT,
    });
    // The answer names its model itself: OpenAI has no facts to report beyond it.
    expect(reports).toBe(0);
  });

  it("should keep the upstream's own error for a caller error, and not retry it", async () => {
    const body = {
      error: {
        message: "Invalid 'temperature'",
        type: 'invalid_request_error',
        param: 'temperature',
        code: null,
      },
    };
    upstream.reply({ status: 400, json: body });

    const error = await provider.complete(REQUEST, context()).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ProviderException);
    expect((error as ProviderException).getStatus()).toBe(400);
    expect((error as ProviderException).retryable).toBe(false);
    expect((error as ProviderException).body).toEqual(body.error);
  });

  it('should mark a server error retryable, for routing to retry or fall over', async () => {
    upstream.reply({ status: 503, json: { error: { message: 'overloaded' } } });
    const error = await provider.complete(REQUEST, context()).catch((thrown: unknown) => thrown);
    expect((error as ProviderException).retryable).toBe(true);
    expect(upstream.requests).toHaveLength(1);
  });

  it('should yield the chunks of an SSE stream up to [DONE]', async () => {
    const chunk = (content: string) =>
      JSON.stringify({
        ...completion,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { content }, finish_reason: null }],
      });
    upstream.reply({
      contentType: 'text/event-stream',
      text: sse(chunk('Hel'), chunk('lo'), '[DONE]'),
    });

    const chunks: ChatCompletionChunk[] = [];
    for await (const item of provider.stream({ ...REQUEST, stream: true }, context())) {
      chunks.push(item);
    }

    expect(chunks.map((item) => item.choices[0].delta.content)).toEqual(['Hel', 'lo']);
    expect(upstream.requests[0].body).toMatchObject({ stream: true });
  });

  it('should fail a stream that ends without [DONE] as a bad response', async () => {
    upstream.reply({ contentType: 'text/event-stream', text: sse('{"choices":[]}') });
    const consume = async () => {
      for await (const item of provider.stream({ ...REQUEST, stream: true }, context())) {
        expect(item).toBeDefined();
      }
    };
    await expect(consume()).rejects.toMatchObject({ kind: 'bad_response' });
  });
});
