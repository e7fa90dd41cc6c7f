import { CatalogModel, ModelTier } from './model-catalog.types';

/** A model list entry as the providers return it (e.g. Straico's, already `straico/<id>`). */
export interface DiscoveredModel {
  id: string;
  owned_by?: string;
  model_type?: string;
  word_limit?: number;
  max_output?: number;
  pricing?: unknown;
  metadata?: unknown;
  [field: string]: unknown;
}

export interface DiscoveryOptions {
  /**
   * What one Straico coin is worth in USD, to compare Straico models with priced ones. Straico
   * sells coins in plans, so this is an assumption: at 0.0001, claude-3-haiku's 1 coin per 100
   * words comes to about $0.75 per million tokens, close to Anthropic's own blended price.
   */
  usdPerCoin?: number;
}

export const DEFAULT_USD_PER_COIN = 0.0001;
/** Used when an entry has no `word_limit`: small enough that long prompts go elsewhere. */
const FALLBACK_CONTEXT_TOKENS = 8_192;
const FALLBACK_MAX_OUTPUT = 4_096;

/**
 * A discovered model as a catalog entry, or null when it cannot be ranked (not a chat model, or
 * no price per word). Straico counts words, not tokens: English averages about 0.75 words per
 * token, so tokens ≈ words × 4/3 for the context window and for the price per token.
 * Straico only emulates tools and JSON modes (by prompting), so `auto` does not count on them;
 * vision comes from the entry's metadata ("Image input").
 */
export function fromDiscovered(
  entry: DiscoveredModel,
  options: DiscoveryOptions = {},
): CatalogModel | null {
  const slash = entry.id.indexOf('/');
  const coinsPerWord = coinsPerWordOf(entry.pricing);
  if (slash <= 0 || coinsPerWord === undefined) {
    return null;
  }
  if (entry.model_type !== undefined && entry.model_type !== 'chat') {
    return null;
  }
  const contextWindow = positive(entry.word_limit)
    ? Math.round((entry.word_limit * 4) / 3)
    : FALLBACK_CONTEXT_TOKENS;
  const maxOutput = Math.min(
    positive(entry.max_output) ? Math.round(entry.max_output) : FALLBACK_MAX_OUTPUT,
    contextWindow,
  );
  const usdPerCoin = options.usdPerCoin ?? DEFAULT_USD_PER_COIN;
  // Per token = per word × 3/4; the same rate applies to prompt and output words.
  const pricePerMTok = round4(coinsPerWord * 0.75 * 1_000_000 * usdPerCoin);
  return {
    id: entry.id,
    provider: entry.id.slice(0, slash),
    upstreamId: entry.id.slice(slash + 1),
    aliases: [],
    contextWindow,
    maxOutput,
    inputPricePerMTok: pricePerMTok,
    outputPricePerMTok: pricePerMTok,
    capabilities: { vision: mentionsVision(entry.metadata), tools: false, jsonSchema: false },
    tier: tierByPrice(pricePerMTok, pricePerMTok),
    fallbacks: [],
  };
}

/**
 * The tier a model's price suggests, by the mean of its input and output price per 1M tokens:
 * under $1 small, under $5 medium, else large. OpenAI's own models land where their names put
 * them (gpt-4o-mini small, gpt-4.1-mini medium, gpt-4o large).
 */
export function tierByPrice(inputPricePerMTok: number, outputPricePerMTok: number): ModelTier {
  const mean = (inputPricePerMTok + outputPricePerMTok) / 2;
  if (mean < 1) {
    return 'small';
  }
  return mean < 5 ? 'medium' : 'large';
}

function coinsPerWordOf(pricing: unknown): number | undefined {
  if (pricing === null || typeof pricing !== 'object') {
    return undefined;
  }
  const { coins, words } = pricing as { coins?: unknown; words?: unknown };
  if (typeof coins !== 'number' || !(coins >= 0) || !positive(words)) {
    return undefined;
  }
  return coins / words;
}

/** Straico's list entries say "Image input"; its single-model answer says `image_input`. */
function mentionsVision(metadata: unknown): boolean {
  if (metadata === null || typeof metadata !== 'object') {
    return false;
  }
  return Object.values(metadata as Record<string, unknown>).some(
    (value) =>
      Array.isArray(value) &&
      value.some((item) => typeof item === 'string' && /image[\s_-]?input|vision/i.test(item)),
  );
}

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
