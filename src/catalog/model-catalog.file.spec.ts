import 'reflect-metadata';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

import { parseCatalogFile } from './model-catalog.file';

const SOURCE = 'models.yaml';

/** A valid entry; tests change one field at a time. */
function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'gpt-4o-mini',
    provider: 'openai',
    contextWindow: 128_000,
    maxOutput: 16_384,
    inputPricePerMTok: 0.15,
    outputPricePerMTok: 0.6,
    tier: 'small',
    ...overrides,
  };
}

function parseYaml(models: unknown): ReturnType<typeof parseCatalogFile> {
  return parseCatalogFile(stringify({ models }), SOURCE);
}

describe('parseCatalogFile', () => {
  describe('formats', () => {
    it('should parse the example file shipped next to the code', () => {
      const path = join(__dirname, 'models.example.yaml');
      const models = parseCatalogFile(readFileSync(path, 'utf8'), path);
      expect(models.map((model) => model.id)).toEqual([
        'gpt-4o-mini',
        'gpt-4.1-mini',
        'gpt-4o',
        'claude-haiku',
      ]);
      expect(models[0]).toEqual({
        id: 'gpt-4o-mini',
        provider: 'openai',
        upstreamId: 'gpt-4o-mini',
        aliases: ['fast', 'acme-chat'],
        contextWindow: 128_000,
        maxOutput: 16_384,
        inputPricePerMTok: 0.15,
        outputPricePerMTok: 0.6,
        capabilities: { vision: true, tools: true, jsonSchema: true },
        tier: 'small',
        fallbacks: ['gpt-4.1-mini'],
      });
      expect(models[3]).toMatchObject({
        provider: 'straico',
        upstreamId: 'anthropic/claude-3-haiku:beta',
        capabilities: { vision: true, tools: false, jsonSchema: false },
      });
    });

    it.each([
      ['a .json file', 'catalog.json', JSON.stringify({ models: [entry()] })],
      ['JSON without an extension', 'catalog', JSON.stringify({ models: [entry()] })],
      ['a bare JSON list', 'catalog.json', JSON.stringify([entry()])],
      ['a bare YAML list', 'catalog.yml', stringify([entry()])],
      ['YAML without an extension', 'catalog', stringify({ models: [entry()] })],
    ])('should parse %s', (_name, source, text) => {
      expect(parseCatalogFile(text, source).map((model) => model.id)).toEqual(['gpt-4o-mini']);
    });

    it('should fill the optional fields with their defaults', () => {
      const [model] = parseYaml([entry()]);
      expect(model).toEqual({
        ...entry(),
        upstreamId: 'gpt-4o-mini',
        aliases: [],
        capabilities: { vision: false, tools: false, jsonSchema: false },
        fallbacks: [],
      });
      expect(model.reasoning).toBeUndefined();
    });

    it('should keep the reasoning flag', () => {
      expect(parseYaml([entry({ reasoning: true })])[0].reasoning).toBe(true);
    });
  });

  describe('field errors', () => {
    it.each([
      [
        'a zero context window',
        { contextWindow: 0 },
        'models[0].contextWindow: must be a positive integer',
      ],
      [
        'a text context window',
        { contextWindow: '128k' },
        'models[0].contextWindow: must be a positive integer',
      ],
      [
        'a fractional max output',
        { maxOutput: 10.5 },
        'models[0].maxOutput: must be a positive integer',
      ],
      [
        'a negative price',
        { inputPricePerMTok: -1 },
        'models[0].inputPricePerMTok: must be a number of USD per million tokens, 0 or more',
      ],
      [
        'a text price',
        { outputPricePerMTok: '$10' },
        'models[0].outputPricePerMTok: must be a number',
      ],
      ['an unknown tier', { tier: 'huge' }, 'models[0].tier: must be one of small, medium, large'],
      [
        'a missing provider',
        { provider: undefined },
        'models[0].provider: must be a non-empty string',
      ],
      ['an empty id', { id: '' }, 'models[0].id: must be a non-empty string'],
      [
        'aliases that are not a list',
        { aliases: 'fast' },
        'models[0].aliases: must be a list of non-empty strings',
      ],
      [
        'an empty alias',
        { aliases: [''] },
        'models[0].aliases: must be a list of non-empty strings',
      ],
      [
        'a capability that is not a boolean',
        { capabilities: { vision: 'yes' } },
        'models[0].capabilities.vision: must be true or false',
      ],
      ['a misspelt field', { contextwindow: 1 }, 'models[0].contextwindow: is not a known field'],
      [
        'a misspelt capability',
        { capabilities: { json_schema: true } },
        'models[0].capabilities.json_schema: is not a known field',
      ],
    ])('should reject %s', (_name, overrides, message) => {
      expect(() => parseYaml([entry(overrides)])).toThrow(`${SOURCE}: ${message}`);
    });

    it('should name the model an error belongs to', () => {
      expect(() =>
        parseYaml([entry(), entry({ id: 'gpt-4o' }), entry({ id: 'o4-mini', contextWindow: -5 })]),
      ).toThrow(`${SOURCE}: models[2].contextWindow: must be a positive integer (model "o4-mini")`);
    });

    it('should report every field error at once', () => {
      expect(() => parseYaml([entry({ tier: 'xl', maxOutput: 0 })])).toThrow(
        `${SOURCE}: models[0].maxOutput: must be a positive integer (model "gpt-4o-mini"); ` +
          'models[0].tier: must be one of small, medium, large (model "gpt-4o-mini")',
      );
    });

    it.each([
      ['an empty list', 'models: []', `${SOURCE}: models: must list at least one model`],
      [
        'no models key',
        'name: catalog',
        `${SOURCE}: name: is not a known field; models: must be a list of models`,
      ],
      ['a scalar', '42', `${SOURCE}: must be an object with "models" or a list of models`],
      ['an empty file', '', `${SOURCE}: must be an object with "models" or a list of models`],
      ['broken YAML', 'models: [\n  - id: a', `${SOURCE}: not valid YAML`],
    ])('should reject %s', (_name, text, message) => {
      expect(() => parseCatalogFile(text, SOURCE)).toThrow(message);
    });

    it('should reject broken JSON in a .json file', () => {
      expect(() => parseCatalogFile('{"models": [', 'models.json')).toThrow(
        'models.json: not valid JSON',
      );
    });
  });

  describe('cross-checks', () => {
    const mini = entry({ aliases: ['fast'] });
    const big = (overrides: Record<string, unknown> = {}) =>
      entry({ id: 'gpt-4o', tier: 'large', ...overrides });

    it.each([
      [
        'a duplicate id',
        [mini, entry()],
        'models[1].id "gpt-4o-mini" is already the id of models[0] (gpt-4o-mini)',
      ],
      [
        'an alias equal to another id',
        [mini, big({ aliases: ['gpt-4o-mini'] })],
        'models[1] (gpt-4o).aliases[0] "gpt-4o-mini" is already the id of models[0] (gpt-4o-mini)',
      ],
      [
        'an alias equal to another alias',
        [mini, big({ aliases: ['fast'] })],
        'models[1] (gpt-4o).aliases[0] "fast" is already an alias of models[0] (gpt-4o-mini)',
      ],
      [
        'an alias equal to its own id',
        [big({ aliases: ['gpt-4o'] })],
        'models[0] (gpt-4o).aliases[0] "gpt-4o" is already the id of models[0] (gpt-4o)',
      ],
      [
        'the reserved id auto',
        [entry({ id: 'auto' })],
        'models[0].id "auto" is reserved for automatic selection',
      ],
      [
        'a reserved auto: alias',
        [big({ aliases: ['auto:cheap'] })],
        'models[0] (gpt-4o).aliases[0] "auto:cheap" is reserved for automatic selection',
      ],
      [
        'a fallback naming an unknown model',
        [mini, big({ fallbacks: ['gpt-5'] })],
        'models[1] (gpt-4o).fallbacks[0] "gpt-5" names no model id or alias in the catalog',
      ],
      [
        'a model falling back to itself',
        [mini, big({ fallbacks: ['gpt-4o'] })],
        'models[1] (gpt-4o).fallbacks[0] "gpt-4o" is the model itself',
      ],
      [
        'a model falling back to its own alias',
        [mini, big({ aliases: ['smart'], fallbacks: ['fast', 'smart'] })],
        'models[1] (gpt-4o).fallbacks[1] "smart" is the model itself',
      ],
      [
        'a fallback named twice',
        [mini, big({ fallbacks: ['fast', 'gpt-4o-mini'] })],
        'models[1] (gpt-4o).fallbacks[1] "gpt-4o-mini" names gpt-4o-mini a second time',
      ],
      [
        'a max output over the context window',
        [entry({ maxOutput: 200_000 })],
        'models[0] (gpt-4o-mini).maxOutput: must not exceed contextWindow',
      ],
    ])('should reject %s', (_name, models, message) => {
      expect(() => parseYaml(models)).toThrow(`${SOURCE}: ${message}`);
    });

    it('should accept fallbacks named by alias, in order', () => {
      const models = parseYaml([mini, big({ fallbacks: ['fast'] })]);
      expect(models[1].fallbacks).toEqual(['fast']);
    });
  });
});
