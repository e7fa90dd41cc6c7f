import { ApiKeyIdentity } from '../auth/api-key.types';
import { DEFAULT_CATALOG } from '../catalog/default-catalog';
import { ModelCatalog } from '../catalog/model-catalog';
import { modelSelectorConfig } from '../model-selector/model-selector.config';
import { ModelSelectorService } from '../model-selector/model-selector.service';
import { profileRequest } from '../model-selector/request-profile';
import { ChatCompletionRequest } from '../providers/chat.types';
import { ProviderRegistry } from '../providers/provider-registry.service';
import { FakeChatProvider } from '../providers/testing/fake-chat-provider';
import { thrownGatewayException as thrownBy } from '../providers/testing/thrown-gateway-exception';
import { o200kTokenCounter } from '../tokens/token-counter';
import { CircuitBreakers } from './circuit-breakers.service';
import { RoutePlan, RoutePlanner } from './route-planner.service';
import { RoutingConfig } from './routing.config';

const ROUTING: RoutingConfig = {
  retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
  circuit: { failureRate: 0.5, minCalls: 100, windowMs: 30_000, halfOpenAfterMs: 15_000 },
};
const ANY_MODEL: ApiKeyIdentity = { id: 'team-a' };

function plannerWith(providers: FakeChatProvider[], selector: 'gateway' | 'straico' = 'gateway') {
  const catalog = new ModelCatalog(DEFAULT_CATALOG);
  const config = { ...modelSelectorConfig(), selector, defaultPolicy: 'balance' as const };
  const planner = new RoutePlanner(
    new ProviderRegistry(providers),
    new ModelSelectorService(config, catalog, o200kTokenCounter),
    catalog,
    new CircuitBreakers(ROUTING),
  );
  planner.onModuleInit();
  return { planner, catalog };
}

const ask = (model: string, content = 'Hi there'): ChatCompletionRequest => ({
  model,
  messages: [{ role: 'user', content }],
});

const routes = (plan: RoutePlan) =>
  plan.candidates.map((route) => `${route.provider.id}:${route.upstreamModel} as ${route.label}`);

describe('RoutePlanner', () => {
  it('should resolve an alias to its catalog model followed by its fallback chain', () => {
    const { planner } = plannerWith([new FakeChatProvider('openai')]);
    const plan = planner.plan(ask('fast'), ANY_MODEL);
    expect(routes(plan)).toEqual([
      'openai:gpt-4o-mini as gpt-4o-mini',
      'openai:gpt-4.1-mini as gpt-4.1-mini',
    ]);
    expect(plan.selectionReason).toBeUndefined();
  });

  it('should leave out fallbacks the key may not use, and refuse a model it may not use', () => {
    const { planner } = plannerWith([new FakeChatProvider('openai')]);
    const onlyFast = { id: 'k', allowedModels: new Set(['fast']) } as ApiKeyIdentity;
    expect(routes(planner.plan(ask('gpt-4o-mini'), onlyFast))).toEqual([
      'openai:gpt-4o-mini as gpt-4o-mini',
    ]);
    expect(thrownBy(() => planner.plan(ask('gpt-4.1'), onlyFast)).getStatus()).toBe(403);
  });

  it('should send a model outside the catalog to the provider that takes it, as named', () => {
    const { planner } = plannerWith([new FakeChatProvider('openai')]);
    expect(routes(planner.plan(ask('openai/ft:gpt-4o-mini:acme'), ANY_MODEL))).toEqual([
      'openai:ft:gpt-4o-mini:acme as openai/ft:gpt-4o-mini:acme',
    ]);
  });

  it("should plan `auto` with the gateway's selector from the request's own profile", () => {
    const { planner } = plannerWith([new FakeChatProvider('openai')]);
    const request = ask('auto');
    const profile = { ...profileRequest(request, o200kTokenCounter), promptTokens: 9_000 };
    const plan = planner.plan(request, ANY_MODEL, { profile: () => profile });
    expect(plan.candidates[0].label).toBe('gpt-4o-mini');
    expect(plan.selectionReason).toMatch(/^tier=small \(9\.0k prompt tokens\); policy=balance/);
  });

  it.each([
    ['auto', undefined, 'auto'],
    ['auto:quality', undefined, 'auto:quality'],
    ['auto:cost', undefined, 'auto:budget'],
    ['auto', 'cost', 'auto:budget'],
  ])("should hand %s (policy header %s) to Straico's selector as %s", (model, header, sent) => {
    const straico = new FakeChatProvider('straico', { selectsModels: true });
    const { planner } = plannerWith([straico], 'straico');
    const plan = planner.plan(ask(model), ANY_MODEL, { policyHeader: header });
    expect(routes(plan)).toEqual([`straico:${sent} as ${sent}`]);
  });

  it('should join the models Straico discovers to the catalog when its list changes', () => {
    const straico = new FakeChatProvider('straico', { selectsModels: true });
    const { catalog } = plannerWith([straico], 'straico');
    expect(catalog.get('straico/vendor/new-model')).toBeUndefined();

    straico.announce([
      {
        id: 'straico/vendor/new-model',
        object: 'model',
        created: 1,
        owned_by: 'straico',
        // Straico's list says what a model costs; priced models can be ranked, so they join.
        pricing: { coins: 1, words: 100 },
      },
    ]);

    expect(catalog.get('straico/vendor/new-model')?.provider).toBe('straico');
  });
});
