import { DiscoveredModel } from './discovered-model';
import { ModelCatalog } from './model-catalog';
import { CatalogModel } from './model-catalog.types';

function model(id: string, overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id,
    provider: 'openai',
    upstreamId: id,
    aliases: [],
    contextWindow: 128_000,
    maxOutput: 16_384,
    inputPricePerMTok: 1,
    outputPricePerMTok: 4,
    capabilities: { vision: true, tools: true, jsonSchema: true },
    tier: 'medium',
    fallbacks: [],
    ...overrides,
  };
}

const MODELS = [
  model('gpt-4o-mini', { aliases: ['fast'], tier: 'small', fallbacks: ['gpt-4.1'] }),
  model('gpt-4.1', { fallbacks: ['gpt-4o-mini'] }),
  model('gpt-4o', {
    aliases: ['smart', 'acme-pro'],
    tier: 'large',
    fallbacks: ['gpt-4.1', 'fast'],
  }),
  model('haiku', {
    provider: 'straico',
    upstreamId: 'anthropic/claude-3-haiku:beta',
    aliases: ['acme-cheap'],
  }),
];

function straicoEntry(id: string, overrides: Partial<DiscoveredModel> = {}): DiscoveredModel {
  return {
    id,
    word_limit: 30_000,
    max_output: 4_096,
    pricing: { coins: 1, words: 100 },
    ...overrides,
  };
}

describe('ModelCatalog', () => {
  let catalog: ModelCatalog;

  beforeEach(() => {
    catalog = new ModelCatalog(MODELS);
  });

  describe('names', () => {
    it.each([
      ['a public id', 'gpt-4o', 'gpt-4o'],
      ['an alias', 'smart', 'gpt-4o'],
      ['a company alias', 'acme-pro', 'gpt-4o'],
      ['provider/upstream id', 'openai/gpt-4o-mini', 'gpt-4o-mini'],
      ['a Straico upstream id with its provider', 'straico/anthropic/claude-3-haiku:beta', 'haiku'],
      ['an unknown name', 'gpt-5', undefined],
      ['a name in another case', 'SMART', undefined],
      ['auto', 'auto', undefined],
    ])('should resolve %s', (_name, name, id) => {
      expect(catalog.resolveAlias(name)).toBe(id);
    });

    it('should get a model by id or alias', () => {
      expect(catalog.get('fast')?.id).toBe('gpt-4o-mini');
      expect(catalog.get('gpt-4.1')?.tier).toBe('medium');
      expect(catalog.get('gpt-5')).toBeUndefined();
    });

    it('should list every model in catalog order', () => {
      expect(catalog.all().map((entry) => entry.id)).toEqual([
        'gpt-4o-mini',
        'gpt-4.1',
        'gpt-4o',
        'haiku',
      ]);
    });

    it('should not share state with the list it was built from', () => {
      catalog.get('gpt-4o')!.aliases.push('mutated');
      expect(MODELS[2].aliases).toEqual(['smart', 'acme-pro']);
    });

    it('should refuse an inconsistent list', () => {
      expect(() => new ModelCatalog([model('a'), model('a')])).toThrow(
        'Invalid model catalog: models[1].id "a" is already the id of models[0] (a)',
      );
    });
  });

  describe('fallbackChain', () => {
    it.each([
      ['gpt-4o', ['gpt-4.1', 'gpt-4o-mini']],
      ['smart', ['gpt-4.1', 'gpt-4o-mini']],
      ['fast', ['gpt-4.1']],
      ['haiku', []],
      ['gpt-5', []],
    ])('should give the ordered fallbacks of %s', (name, ids) => {
      expect(catalog.fallbackChain(name).map((entry) => entry.id)).toEqual(ids);
    });
  });

  describe('allowed models', () => {
    it.each([
      ['the id it lists', ['gpt-4o'], 'gpt-4o', true],
      ['an alias of a listed id', ['gpt-4o'], 'smart', true],
      ['the id of a listed alias', ['smart'], 'gpt-4o', true],
      ['provider/upstream id of a listed id', ['gpt-4o-mini'], 'openai/gpt-4o-mini', true],
      ['a model it does not list', ['gpt-4o'], 'gpt-4.1', false],
      ['an unknown model it lists', ['my-finetune'], 'my-finetune', true],
      ['an unknown model it does not list', ['gpt-4o'], 'my-finetune', false],
    ])('should let a key use %s', (_name, allowed, requested, expected) => {
      expect(catalog.isAllowed(requested, new Set(allowed))).toBe(expected);
    });

    it('should let a key without a list use anything', () => {
      expect(catalog.isAllowed('anything', undefined)).toBe(true);
    });
  });

  describe('addDiscovered', () => {
    it('should add Straico models as straico entries without fallbacks', () => {
      const added = catalog.addDiscovered([straicoEntry('straico/amazon/nova-lite-v1')]);
      expect(added).toBe(1);
      expect(catalog.get('straico/amazon/nova-lite-v1')).toMatchObject({
        provider: 'straico',
        upstreamId: 'amazon/nova-lite-v1',
        contextWindow: 40_000,
        fallbacks: [],
      });
      expect(catalog.all()).toHaveLength(MODELS.length + 1);
    });

    it('should not override a file entry the discovered id names', () => {
      expect(catalog.addDiscovered([straicoEntry('openai/gpt-4.1')])).toBe(0);
      expect(catalog.get('openai/gpt-4.1')).toEqual(MODELS[1]);
    });

    it('should not override a file entry that serves the same upstream model', () => {
      expect(catalog.addDiscovered([straicoEntry('straico/anthropic/claude-3-haiku:beta')])).toBe(
        0,
      );
      expect(catalog.resolveAlias('straico/anthropic/claude-3-haiku:beta')).toBe('haiku');
      expect(catalog.all()).toHaveLength(MODELS.length);
    });

    it('should refresh a model discovered before', () => {
      catalog.addDiscovered([straicoEntry('straico/amazon/nova-lite-v1')]);
      catalog.addDiscovered([
        straicoEntry('straico/amazon/nova-lite-v1', { pricing: { coins: 10, words: 100 } }),
      ]);
      expect(catalog.get('straico/amazon/nova-lite-v1')?.tier).toBe('large');
      expect(catalog.all()).toHaveLength(MODELS.length + 1);
    });

    it('should skip entries it cannot rank or route', () => {
      const added = catalog.addDiscovered([
        straicoEntry('straico/openai/dall-e-3', { model_type: 'image' }),
        straicoEntry('straico/free/model', { pricing: undefined }),
        { id: 42 } as unknown as DiscoveredModel,
      ]);
      expect(added).toBe(0);
      expect(catalog.all()).toHaveLength(MODELS.length);
    });
  });
});
