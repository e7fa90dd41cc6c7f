import { DiscoveredModel, fromDiscovered, tierByPrice } from './discovered-model';

/** As the Straico provider lists it (src/providers/straico/straico-models.ts). */
function straico(overrides: Partial<DiscoveredModel> = {}): DiscoveredModel {
  return {
    id: 'straico/anthropic/claude-3-haiku:beta',
    owned_by: 'anthropic',
    word_limit: 150_000,
    max_output: 4_096,
    pricing: { coins: 1, words: 100 },
    ...overrides,
  };
}

describe('fromDiscovered', () => {
  it('should turn a Straico entry into a catalog model', () => {
    expect(fromDiscovered(straico())).toEqual({
      id: 'straico/anthropic/claude-3-haiku:beta',
      provider: 'straico',
      upstreamId: 'anthropic/claude-3-haiku:beta',
      aliases: [],
      contextWindow: 200_000,
      maxOutput: 4_096,
      inputPricePerMTok: 0.75,
      outputPricePerMTok: 0.75,
      capabilities: { vision: false, tools: false, jsonSchema: false },
      tier: 'small',
      fallbacks: [],
    });
  });

  it.each([
    ['0.2 coins per 100 words', { coins: 0.2, words: 100 }, 0.15, 'small'],
    ['4 coins per 100 words', { coins: 4, words: 100 }, 3, 'medium'],
    ['10 coins per 100 words', { coins: 10, words: 100 }, 7.5, 'large'],
    ['8 coins per 200 words', { coins: 8, words: 200 }, 3, 'medium'],
  ])('should price %s and tier it by price', (_name, pricing, perMTok, tier) => {
    const model = fromDiscovered(straico({ pricing }));
    expect(model?.inputPricePerMTok).toBe(perMTok);
    expect(model?.outputPricePerMTok).toBe(perMTok);
    expect(model?.tier).toBe(tier);
  });

  it('should convert coins with the given rate', () => {
    expect(fromDiscovered(straico(), { usdPerCoin: 0.001 })?.inputPricePerMTok).toBe(7.5);
  });

  it.each([
    ['list entries', { capabilities: ['Image input', 'Browsing'] }, true],
    ['single-model answers', { model_features: ['image_input'] }, true],
    ['text-only models', { pros: ['Fast'], cons: [], applications: ['Social chat'] }, false],
    ['missing metadata', undefined, false],
  ])('should read vision from the metadata of %s', (_name, metadata, vision) => {
    expect(fromDiscovered(straico({ metadata }))?.capabilities.vision).toBe(vision);
  });

  it('should assume a small context when the word limit is missing', () => {
    const model = fromDiscovered(straico({ word_limit: undefined, max_output: undefined }));
    expect(model).toMatchObject({ contextWindow: 8_192, maxOutput: 4_096 });
  });

  it('should keep the max output within the context window', () => {
    expect(fromDiscovered(straico({ word_limit: 3_000, max_output: 8_000 }))?.maxOutput).toBe(
      4_000,
    );
  });

  it.each([
    ['an image model', straico({ model_type: 'image' })],
    ['an entry without a price per word', straico({ pricing: { square: { coins: 90 } } })],
    ['an entry without any price', straico({ pricing: undefined })],
    ['a price with zero words', straico({ pricing: { coins: 1, words: 0 } })],
    ['an id without a provider prefix', straico({ id: 'claude-3-haiku' })],
  ])('should skip %s', (_name, entry) => {
    expect(fromDiscovered(entry)).toBeNull();
  });
});

describe('tierByPrice', () => {
  it.each([
    [0.15, 0.6, 'small'],
    [0.4, 1.6, 'medium'],
    [1.1, 4.4, 'medium'],
    [2, 8, 'large'],
    [0, 0, 'small'],
  ])('should put %d/%d USD per 1M tokens in the %s tier', (input, output, tier) => {
    expect(tierByPrice(input, output)).toBe(tier);
  });
});
