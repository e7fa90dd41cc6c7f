import { ProviderException } from '../../common/errors/provider.exception';
import { UpstreamFacts } from '../chat-provider.interface';
import { ChatCompletionChunk, ChatCompletionRequest } from '../chat.types';
import { LoopbackUpstream } from '../testing/loopback-upstream';
import { endTurnResponse, v2SmartSelectorResponse } from './__fixtures__/straico-responses';
import { StraicoConfig } from './straico.config';
import { StraicoProvider } from './straico.provider';

const MESSAGES = [{ role: 'user' as const, content: 'Write a poem about the sea.' }];

describe('StraicoProvider', () => {
  let upstream: LoopbackUpstream;
  let provider: StraicoProvider;
  let reported: UpstreamFacts[];

  beforeEach(async () => {
    upstream = await LoopbackUpstream.start();
    const config: StraicoConfig = {
      apiKey: 'sk-straico',
      enabled: true,
      baseUrl: upstream.url,
      timeoutMs: 5_000,
      pricingMethod: 'balance',
      keepAliveMs: 10,
      retries: 1,
      retryBaseMs: 1,
      modelsTtlMs: 60_000,
    };
    provider = new StraicoProvider(config);
    reported = [];
  });

  afterEach(async () => {
    await provider.onApplicationShutdown();
    await upstream.close();
  });

  const context = () => ({
    signal: new AbortController().signal,
    requestId: 'req-1',
    report: (facts: UpstreamFacts) => reported.push(facts),
  });
  const ask = (model: string, fields: Partial<ChatCompletionRequest> = {}) => ({
    model,
    messages: MESSAGES,
    ...fields,
  });

  it("should send `auto` to Straico's selector and report the model it chose, why and the cost", async () => {
    upstream.reply({ status: 201, json: v2SmartSelectorResponse() });

    const completion = await provider.complete(ask('auto:quality'), context());

    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v2/chat/completions',
      body: { smart_llm_selector: 'quality', messages: MESSAGES },
    });
    expect(upstream.requests[0].headers.authorization).toBe('Bearer sk-straico');
    expect(reported).toEqual([
      {
        model: `straico/${completion.model}`,
        selectionReason: 'Chose openai/o4-mini because ...',
        coins: 7.52,
      },
    ]);
  });

  it('should send plain `auto` with the configured pricing method', async () => {
    upstream.reply({ json: v2SmartSelectorResponse() });
    await provider.complete(ask('auto'), context());
    expect(upstream.requests[0].body).toMatchObject({ smart_llm_selector: 'balance' });
  });

  it('should report only the cost for a model the client named', async () => {
    upstream.reply({ json: endTurnResponse() });

    const completion = await provider.complete(ask('anthropic/claude-3-haiku:beta'), context());

    expect(upstream.requests[0].body).toMatchObject({ model: 'anthropic/claude-3-haiku:beta' });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(reported).toEqual([{ coins: 3.18 }]);
  });

  it('should refuse an unknown pricing method without calling Straico', async () => {
    await expect(provider.complete(ask('auto:cheapest'), context())).rejects.toMatchObject({
      status: 404,
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('should retry a server error itself and report nothing for a failed answer', async () => {
    const failure = { status: 503, json: { success: false, error: 'busy' } };
    upstream.reply(failure, failure);

    const error = await provider
      .complete(ask('auto'), context())
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(ProviderException);
    expect((error as ProviderException).retryable).toBe(true);
    expect(upstream.requests).toHaveLength(2);
    expect(reported).toEqual([]);
  });

  it('should emulate a stream whose facts are reported once the answer has come', async () => {
    upstream.reply({ json: v2SmartSelectorResponse() });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of provider.stream(ask('auto', { stream: true }), context())) {
      chunks.push(chunk);
    }
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[chunks.length - 1].choices[0]?.finish_reason).toBe('stop');
    expect(reported).toHaveLength(1);
    expect(reported[0].model).toBe(`straico/${chunks[chunks.length - 1].model}`);
  });
});
