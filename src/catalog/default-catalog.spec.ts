import { DEFAULT_CATALOG } from './default-catalog';
import { tierByPrice } from './discovered-model';
import { ModelCatalog } from './model-catalog';
import { catalogProblems } from './model-catalog.checks';

describe('DEFAULT_CATALOG', () => {
  it('should pass the same checks as a catalog file', () => {
    expect(catalogProblems(DEFAULT_CATALOG)).toEqual([]);
  });

  it('should list the common OpenAI models', () => {
    expect(DEFAULT_CATALOG.map((model) => model.id)).toEqual(
      expect.arrayContaining(['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1', 'o4-mini']),
    );
    expect(DEFAULT_CATALOG.every((model) => model.provider === 'openai')).toBe(true);
  });

  it.each([
    ['fast', 'gpt-4o-mini'],
    ['smart', 'gpt-4o'],
  ])('should resolve the alias %s to %s', (alias, id) => {
    expect(new ModelCatalog(DEFAULT_CATALOG).resolveAlias(alias)).toBe(id);
  });

  it('should give gpt-4o a fallback chain through gpt-4.1 to gpt-4o-mini', () => {
    const chain = new ModelCatalog(DEFAULT_CATALOG).fallbackChain('gpt-4o');
    expect(chain.map((model) => model.id)).toEqual(['gpt-4.1', 'gpt-4o-mini']);
  });

  it.each(DEFAULT_CATALOG.map((model) => [model.id, model]))(
    'should give %s limits, prices and a tier that agree',
    (_id, model) => {
      expect(model.maxOutput).toBeLessThanOrEqual(model.contextWindow);
      expect(model.inputPricePerMTok).toBeGreaterThan(0);
      expect(model.outputPricePerMTok).toBeGreaterThan(model.inputPricePerMTok);
      // The reasoning model is tiered for its ability, one above its price.
      const byPrice = tierByPrice(model.inputPricePerMTok, model.outputPricePerMTok);
      expect(byPrice).toBe(model.reasoning ? 'medium' : model.tier);
    },
  );

  it('should mark only the o-series as reasoning models', () => {
    const reasoning = DEFAULT_CATALOG.filter((model) => model.reasoning).map((model) => model.id);
    expect(reasoning).toEqual(['o4-mini']);
  });
});
