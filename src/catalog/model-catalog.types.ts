/** What the gateway knows about one model it can route to. */
export interface CatalogModel {
  /** Public id clients send as `model` (e.g. `gpt-4o-mini`, `straico/anthropic/claude-3-haiku:beta`). */
  id: string;
  /** The chat provider serving it (`openai`, `straico`, ...). */
  provider: string;
  /** The id sent upstream. */
  upstreamId: string;
  /** Other names resolving to this model (`fast`, `smart`, a company's own names). */
  aliases: string[];
  /** Prompt plus output, in tokens. */
  contextWindow: number;
  /** Most output tokens the model can produce in one answer. */
  maxOutput: number;
  /** USD per million prompt tokens. */
  inputPricePerMTok: number;
  /** USD per million output tokens. */
  outputPricePerMTok: number;
  capabilities: ModelCapabilities;
  tier: ModelTier;
  /** Public ids or aliases to try, in order, when this model fails. */
  fallbacks: string[];
  /**
   * A reasoning model (OpenAI's o-series): it rejects `temperature`, `top_p`, penalties,
   * `logprobs`, `logit_bias` and `max_tokens`, so `auto` never sends such requests to it.
   */
  reasoning?: boolean;
}

export interface ModelCapabilities {
  /** Accepts `image_url` content parts. */
  vision: boolean;
  /** Accepts `tools` natively. */
  tools: boolean;
  /** Accepts `response_format: {type: "json_schema"}` (structured outputs) natively. */
  jsonSchema: boolean;
}

export type ModelTier = 'small' | 'medium' | 'large';

/** Ordered from least to most capable: the index is the tier's rank. */
export const MODEL_TIERS: readonly ModelTier[] = ['small', 'medium', 'large'];

export function tierRank(tier: ModelTier): number {
  return MODEL_TIERS.indexOf(tier);
}

/** Ids and aliases with this meaning are the selector's, never a catalog model's. */
export function isReservedModelName(name: string): boolean {
  return name === 'auto' || name.startsWith('auto:');
}
