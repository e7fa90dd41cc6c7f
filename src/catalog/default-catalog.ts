import { CatalogModel } from './model-catalog.types';

const FULL = { vision: true, tools: true, jsonSchema: true };

/**
 * The catalog used when MODELS_FILE is not set: OpenAI's common chat models. Context windows,
 * output limits and prices (USD per 1M tokens, standard tier, no caching or batch discount) are
 * as OpenAI published them in 2025; prices change, so operators should check
 * https://openai.com/api/pricing and ship their own MODELS_FILE when they differ.
 * Tiers follow price, except o4-mini's (below): the mini models answer everyday requests well,
 * the full and reasoning models are for the hardest ones.
 */
export const DEFAULT_CATALOG: readonly CatalogModel[] = [
  {
    id: 'gpt-4o-mini',
    provider: 'openai',
    upstreamId: 'gpt-4o-mini',
    aliases: ['fast'],
    contextWindow: 128_000,
    maxOutput: 16_384,
    inputPricePerMTok: 0.15,
    outputPricePerMTok: 0.6,
    capabilities: FULL,
    tier: 'small',
    fallbacks: ['gpt-4.1-mini'],
  },
  {
    id: 'gpt-4.1-mini',
    provider: 'openai',
    upstreamId: 'gpt-4.1-mini',
    aliases: [],
    contextWindow: 1_047_576,
    maxOutput: 32_768,
    inputPricePerMTok: 0.4,
    outputPricePerMTok: 1.6,
    capabilities: FULL,
    tier: 'medium',
    fallbacks: ['gpt-4o-mini'],
  },
  {
    // Priced like a medium model, but it reasons before answering: the best pick for proofs
    // and hard code, so it sits with the large ones. It refuses temperature, max_tokens and the
    // like, so requests setting them go to gpt-4.1 instead.
    id: 'o4-mini',
    provider: 'openai',
    upstreamId: 'o4-mini',
    aliases: [],
    contextWindow: 200_000,
    maxOutput: 100_000,
    inputPricePerMTok: 1.1,
    outputPricePerMTok: 4.4,
    capabilities: FULL,
    tier: 'large',
    fallbacks: ['gpt-4.1', 'gpt-4.1-mini'],
    reasoning: true,
  },
  {
    id: 'gpt-4.1',
    provider: 'openai',
    upstreamId: 'gpt-4.1',
    aliases: [],
    contextWindow: 1_047_576,
    maxOutput: 32_768,
    inputPricePerMTok: 2,
    outputPricePerMTok: 8,
    capabilities: FULL,
    tier: 'large',
    fallbacks: ['gpt-4o', 'gpt-4.1-mini'],
  },
  {
    id: 'gpt-4o',
    provider: 'openai',
    upstreamId: 'gpt-4o',
    aliases: ['smart'],
    contextWindow: 128_000,
    maxOutput: 16_384,
    inputPricePerMTok: 2.5,
    outputPricePerMTok: 10,
    capabilities: FULL,
    tier: 'large',
    fallbacks: ['gpt-4.1', 'gpt-4o-mini'],
  },
];
