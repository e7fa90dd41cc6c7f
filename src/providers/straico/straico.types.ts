/** Straico's wire shapes (see shared/reference/straico-api.md); only what the gateway reads. */

export type StraicoPricingMethod = 'quality' | 'balance' | 'budget';
export const STRAICO_PRICING_METHODS: readonly StraicoPricingMethod[] = [
  'quality',
  'balance',
  'budget',
];

export type StraicoContentPart =
  { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface StraicoMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | StraicoContentPart[];
}

/** POST /v2/chat/completions: exactly one of model / smart_llm_selector. */
export interface StraicoChatRequest {
  model?: string;
  smart_llm_selector?: StraicoPricingMethod;
  messages: StraicoMessage[];
  temperature?: number;
  max_tokens?: number;
  replace_failed_models?: boolean;
}

export interface StraicoAmounts {
  input: number;
  output: number;
  total: number;
}

export interface StraicoCompletion {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: Array<{
    index?: number;
    message?: { role?: string; content?: string | null; reasoning?: string | null };
    finish_reason?: string | null;
    native_finish_reason?: string | null;
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
  error?: unknown;
}

/** v2 (and v0) chat answer: a bare chat.completion plus Straico's extras. */
export interface StraicoChatResponse extends StraicoCompletion {
  price?: StraicoAmounts;
  words?: StraicoAmounts;
  model_selector_justification?: string;
}

/** POST /v1/prompt/completion: one prompt string, attachments allowed. */
export interface StraicoPromptV1Request {
  models?: string[];
  smart_llm_selector?: { quantity: number; pricing_method: StraicoPricingMethod };
  message: string;
  file_urls?: string[];
  images?: string[];
  youtube_urls?: string[];
  display_transcripts?: boolean;
  temperature?: number;
  max_tokens?: number;
  replace_failed_models?: boolean;
}

export interface StraicoPromptV1Response {
  success?: boolean;
  data?: {
    overall_price?: StraicoAmounts;
    overall_words?: StraicoAmounts;
    completions?: Record<
      string,
      { completion?: StraicoCompletion; price?: StraicoAmounts; words?: StraicoAmounts }
    >;
    transcripts?: Array<{ name?: string; text?: string }>;
    model_selector_justification?: string;
  };
}

export interface StraicoModelEntry {
  id?: string;
  name?: string;
  model_type?: string;
  owned_by?: string;
  created?: number;
  word_limit?: number;
  max_output?: number;
  pricing?: unknown;
  metadata?: unknown;
}
