import { ApiKeyIdentity } from '../auth/api-key.types';
import { GatewayException } from '../common/errors/gateway.exception';
import { ProviderException } from '../common/errors/provider.exception';
import { profileRequest } from '../model-selector/request-profile';
import { ChatCompletionChunk } from '../providers/chat.types';
import { FakeChatProvider } from '../providers/testing/fake-chat-provider';
import { CircuitBreakers } from '../routing/circuit-breakers.service';
import { RoutePlan } from '../routing/route-planner.service';
import { RoutingConfig } from '../routing/routing.config';
import { o200kTokenCounter } from '../tokens/token-counter';
import { CompletionCall } from './completions.service';
import { plannedCompletions } from './testing/planned-completions';

const ROUTING: RoutingConfig = {
  retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
  circuit: { failureRate: 0.5, minCalls: 100, windowMs: 30_000, halfOpenAfterMs: 15_000 },
};
const KEY: ApiKeyIdentity = { id: 'team-a' };

const down = (provider: string) => ProviderException.unreachable(provider, 'ECONNREFUSED');
const refused = (provider: string) =>
  new ProviderException(
    provider,
    'upstream_error',
    400,
    { message: 'bad', type: 'invalid_request_error', param: null, code: null },
    false,
  );

function candidate(provider: FakeChatProvider, upstreamModel: string, label = upstreamModel) {
  return { provider, upstreamModel, label, circuit: `${provider.id}/${upstreamModel}` };
}

/** The planner's part is a given plan here; route-planner.service.spec.ts covers planning. */
function serviceFor(plan: RoutePlan, breakers = new CircuitBreakers(ROUTING)) {
  return plannedCompletions(plan, ROUTING, breakers);
}

function call(fields: Partial<CompletionCall> = {}): CompletionCall {
  const request = { model: 'fast', messages: [{ role: 'user' as const, content: 'Hi' }] };
  return {
    request,
    apiKey: KEY,
    context: { signal: new AbortController().signal, requestId: 'req-1' },
    profile: () => profileRequest(request, o200kTokenCounter),
    ...fields,
  };
}

async function rejection(promise: Promise<unknown>): Promise<GatewayException> {
  try {
    await promise;
  } catch (error) {
    return error as GatewayException;
  }
  throw new Error('expected a rejection');
}

async function collect(chunks: AsyncIterable<ChatCompletionChunk>): Promise<string[]> {
  const words: string[] = [];
  for await (const chunk of chunks) {
    words.push(chunk.choices[0].delta.content ?? '');
  }
  return words;
}

describe('CompletionsService', () => {
  it('should serve from the first route with its upstream model id and say so in the route', async () => {
    const openai = new FakeChatProvider('openai').answers({ content: 'hello' });
    const { service, planned } = serviceFor({
      candidates: [candidate(openai, 'gpt-4o-mini', 'fast')],
      selectionReason: 'tier=small',
    });
    const policyCall = call({ policyHeader: 'cost' });

    const served = await service.complete(policyCall);

    expect(served.result.choices[0].message.content).toBe('hello');
    expect(openai.calls.map((sent) => sent.request.model)).toEqual(['gpt-4o-mini']);
    expect(served.route).toEqual({
      provider: 'openai',
      model: 'fast',
      selectionReason: 'tier=small',
      fallbacks: [],
    });
    // The planner gets the request's own profile, so `auto` does not tokenise it again.
    expect(planned[0]).toEqual({ policyHeader: 'cost', profile: policyCall.profile });
  });

  it('should retry a retryable failure on the route before falling over', async () => {
    const first = new FakeChatProvider('a').answers(down('a'), { content: 'second try' });
    const second = new FakeChatProvider('b');
    const { service } = serviceFor({ candidates: [candidate(first, 'x'), candidate(second, 'y')] });

    const served = await service.complete(call());

    expect(first.calls).toHaveLength(2);
    expect(second.calls).toHaveLength(0);
    expect(served.result.choices[0].message.content).toBe('second try');
    expect(served.route.fallbacks).toEqual([]);
  });

  it('should fall over in plan order once a route keeps failing, naming what was passed over', async () => {
    const first = new FakeChatProvider('a').answers(down('a'), down('a'));
    const second = new FakeChatProvider('b').answers({ content: 'from b' });
    const third = new FakeChatProvider('c');
    const { service } = serviceFor({
      candidates: [candidate(first, 'x'), candidate(second, 'y'), candidate(third, 'z')],
    });

    const served = await service.complete(call());

    expect(served.result.choices[0].message.content).toBe('from b');
    expect(served.route).toMatchObject({ provider: 'b', model: 'y', fallbacks: ['x (502)'] });
    expect(third.calls).toHaveLength(0);
  });

  it('should not retry for a provider that retries itself', async () => {
    const straico = new FakeChatProvider('straico', { retriesInternally: true }).answers(
      down('straico'),
    );
    const openai = new FakeChatProvider('openai');
    const { service } = serviceFor({
      candidates: [candidate(straico, 'haiku'), candidate(openai, 'gpt-4o')],
    });

    const served = await service.complete(call());

    expect(straico.calls).toHaveLength(1);
    expect(served.route).toMatchObject({ provider: 'openai', fallbacks: ['haiku (502)'] });
  });

  it('should end at once on a caller error, without trying another route', async () => {
    const first = new FakeChatProvider('a').answers(refused('a'));
    const second = new FakeChatProvider('b');
    const { service } = serviceFor({ candidates: [candidate(first, 'x'), candidate(second, 'y')] });

    const error = await rejection(service.complete(call()));

    expect(error.getStatus()).toBe(400);
    expect(first.calls).toHaveLength(1);
    expect(second.calls).toHaveLength(0);
  });

  it('should throw the last upstream error with every route tried when all fail', async () => {
    const first = new FakeChatProvider('a').answers(down('a'), down('a'));
    const second = new FakeChatProvider('b').answers(down('b'), down('b'));
    const { service } = serviceFor({ candidates: [candidate(first, 'x'), candidate(second, 'y')] });

    const error = await rejection(service.complete(call()));

    expect(error).toBeInstanceOf(ProviderException);
    expect((error as ProviderException).providerId).toBe('b');
    expect(error.headers['x-gateway-fallbacks']).toBe('x (502), y (502)');
  });

  it('should skip a route whose circuit is open and say when to come back if none is left', async () => {
    const only = new FakeChatProvider('a');
    const open = {
      isAvailable: () => false,
      retryAfterMs: () => 4_200,
      execute: () => Promise.reject(new Error('an open circuit takes no request')),
    } as unknown as CircuitBreakers;
    const { service } = serviceFor({ candidates: [candidate(only, 'x')] }, open);

    const error = await rejection(service.complete(call()));

    expect(only.calls).toHaveLength(0);
    expect(error.getStatus()).toBe(503);
    expect(error.headers).toMatchObject({
      'x-gateway-fallbacks': 'x (circuit open)',
      'retry-after': '5',
    });
  });

  it('should take the model and reason an upstream selector reports over the planned ones', async () => {
    const straico = new FakeChatProvider('straico', { selectsModels: true }).answers({
      facts: { model: 'straico/claude', selectionReason: 'best fit', coins: 0.5 },
    });
    const { service } = serviceFor({ candidates: [candidate(straico, 'auto')] });

    const served = await service.complete(call());

    expect(served.route).toEqual({
      provider: 'straico',
      model: 'straico/claude',
      selectionReason: 'best fit',
      fallbacks: [],
      coins: 0.5,
    });
  });

  it('should fall over a stream that fails before its first chunk', async () => {
    const first = new FakeChatProvider('a').answers(down('a'), down('a'));
    const second = new FakeChatProvider('b').answers({ content: 'streamed from b' });
    const { service } = serviceFor({ candidates: [candidate(first, 'x'), candidate(second, 'y')] });

    const served = await service.stream(call());

    expect(served.route).toMatchObject({ provider: 'b', fallbacks: ['x (502)'] });
    expect(await collect(served.result)).toEqual(['streamed', 'from', 'b']);
  });

  it('should complete the route of a stream with what the upstream reports at its end', async () => {
    const straico = new FakeChatProvider('straico').answers({
      content: 'one two',
      facts: { model: 'straico/claude', selectionReason: 'best fit', coins: 2 },
    });
    const { service } = serviceFor({ candidates: [candidate(straico, 'auto')] });

    const served = await service.stream(call());
    // When the stream starts only the planned route is known: the headers say `auto`.
    expect(served.route).toEqual({ provider: 'straico', model: 'auto', fallbacks: [] });

    await collect(served.result);
    expect(served.route).toMatchObject({ model: 'straico/claude', coins: 2 });
  });

  it('should not fall over once the client has gone away', async () => {
    const controller = new AbortController();
    const first = new FakeChatProvider('a').answers(down('a'));
    const second = new FakeChatProvider('b');
    const { service } = serviceFor({ candidates: [candidate(first, 'x'), candidate(second, 'y')] });
    controller.abort();

    const aborted = call({ context: { signal: controller.signal, requestId: 'req-2' } });
    await rejection(service.complete(aborted));

    expect(second.calls).toHaveLength(0);
  });
});
