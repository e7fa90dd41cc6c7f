/**
 * Recorded-shape Straico fixtures: realistic bodies rebuilt from the examples in
 * shared/reference/straico-api.md (§3.3, §4.3, §5.3, §6.3, §8). Each is a factory so a test can
 * change a copy without affecting other tests.
 */
import {
  StraicoChatResponse,
  StraicoCompletion,
  StraicoModelEntry,
  StraicoPromptV1Response,
} from '../straico.types';

/**
 * §5.3 Example C — v2 chat answer. The reference reconstructed it from the V2-DOC field list and
 * RKP's types; no verbatim sample exists, so its exact extras are UNCERTAIN.
 */
export function v2ChatResponse(overrides: Partial<StraicoChatResponse> = {}): StraicoChatResponse {
  return {
    id: 'gen-1750000000-XyZ',
    object: 'chat.completion',
    created: 1750000000,
    model: 'meta-llama/llama-4-maverick',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'x times 2 is 0.' },
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 58,
      completion_tokens: 7,
      total_tokens: 65,
      prompt_tokens_details: { cached_tokens: 0 },
    } as StraicoChatResponse['usage'],
    price: { input: 0.2, output: 0.02, total: 0.22 },
    words: { input: 40, output: 4, total: 44 },
    ...overrides,
  };
}

/** The same v2 answer with the assistant's text (and optionally finish reason) replaced. */
export function v2ChatReply(
  content: string | null,
  extra: { finish_reason?: string | null; reasoning?: string | null } = {},
): StraicoChatResponse {
  return v2ChatResponse({
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          ...(extra.reasoning !== undefined ? { reasoning: extra.reasoning } : {}),
        },
        finish_reason: extra.finish_reason === undefined ? 'stop' : extra.finish_reason,
      },
    ],
  });
}

/**
 * §3.3 Example A — the `completion` object of a smart-selector answer (v0 prompt, passed
 * through from OpenRouter), with provider extras (`provider`, `native_finish_reason`,
 * `refusal`, `reasoning`, token details) that the gateway must tolerate.
 */
export function smartSelectorCompletion(): StraicoCompletion & Record<string, unknown> {
  return {
    id: 'gen-1746900000-AbCdEf',
    provider: 'OpenAI',
    model: 'openai/o4-mini',
    object: 'chat.completion',
    created: 1746900000,
    choices: [
      {
        logprobs: null,
        finish_reason: 'stop',
        native_finish_reason: 'stop',
        index: 0,
        message: {
          role: 'assistant',
          content: '# Recycling tips\n1. ...',
          refusal: null,
          reasoning: null,
        },
      } as NonNullable<StraicoCompletion['choices']>[number],
    ],
    system_fingerprint: null,
    usage: {
      prompt_tokens: 22,
      completion_tokens: 1005,
      total_tokens: 1027,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 320 },
    } as StraicoCompletion['usage'],
  };
}

/** §3.3 as it would arrive from v2 chat (bare completion + price/words/justification). */
export function v2SmartSelectorResponse(): StraicoChatResponse {
  return {
    ...smartSelectorCompletion(),
    price: { input: 0.22, output: 7.3, total: 7.52 },
    words: { input: 15, output: 487, total: 502 },
    model_selector_justification: 'Chose openai/o4-mini because ...',
  };
}

/** §3.3 plain-model variant from PM-EXPORT: Anthropic's native `end_turn` passed through. */
export function endTurnResponse(): StraicoChatResponse {
  return {
    id: 'gen-1721300000-Haiku',
    object: 'chat.completion',
    created: 1721300000,
    model: 'anthropic/claude-3-haiku:beta',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Here is a short poem about the sea.' },
        finish_reason: 'end_turn',
      },
    ],
    usage: { prompt_tokens: 25, completion_tokens: 416, total_tokens: 441 },
    price: { input: 0.15, output: 3.03, total: 3.18 },
    words: { input: 15, output: 303, total: 318 },
  };
}

/** §4.3 Example B — v1 prompt, two models; map keys are the requested ids. */
export function v1TwoModelsResponse(): StraicoPromptV1Response {
  return {
    data: {
      overall_price: { input: 114.36, output: 1.25, total: 115.61 },
      overall_words: { input: 11436, output: 125, total: 11561 },
      completions: {
        'anthropic/claude-3-haiku:beta': {
          completion: {
            id: 'gen-AAAA',
            model: 'anthropic/claude-3-haiku:beta',
            object: 'chat.completion',
            created: 1721329567,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: 'universe, cosmos, ...' },
                finish_reason: 'end_turn',
              },
            ],
            usage: { prompt_tokens: 11122, completion_tokens: 136, total_tokens: 11258 },
          },
          price: { input: 57.18, output: 0.97, total: 58.15 },
          words: { input: 5718, output: 97, total: 5815 },
        },
        'openai/gpt-3.5-turbo-0125': {
          completion: {
            id: 'chatcmpl-BBBB',
            object: 'chat.completion',
            created: 1721329569,
            model: 'gpt-3.5-turbo-0125',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: 'universe, existence, ...' },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 10364, completion_tokens: 40, total_tokens: 10404 },
          },
          price: { input: 57.18, output: 0.28, total: 57.46 },
          words: { input: 5718, output: 28, total: 5746 },
        },
      },
    },
    success: true,
  };
}

/**
 * §4.2/§8 — one of several v1 models failed: HTTP 201 overall, that entry's `completion` is
 * `{ "error": "…" }` (AIO example, PP).
 */
export function v1OneModelFailedResponse(): StraicoPromptV1Response {
  const body = v1TwoModelsResponse();
  body.data!.completions!['anthropic/claude-3-haiku:beta'] = {
    completion: { error: 'Provider returned error' },
    price: { input: 0, output: 0, total: 0 },
    words: { input: 0, output: 0, total: 0 },
  };
  return body;
}

/** §6.3 — GET /v2/models entries (chat as in RKP's example, plus image/video entries). */
export function v2ModelEntries(): StraicoModelEntry[] {
  return [
    {
      name: 'Amazon: Nova Lite 1.0',
      id: 'amazon/nova-lite-v1',
      word_limit: 225000,
      pricing: { coins: 0.2, words: 100 },
      max_output: 5000,
      metadata: { pros: ['Fast'], cons: [], applications: ['Social chat'] },
      owned_by: 'amazon',
      created: 1733443200,
      model_type: 'chat',
    },
    {
      name: 'OpenAI: DALL-E 3',
      id: 'openai/dall-e-3',
      pricing: { square: { coins: 90, size: '1024x1024' } },
      owned_by: 'openai',
      created: 1700000000,
      model_type: 'image',
    },
    {
      name: 'Some video model',
      id: 'video/some-model',
      pricing: { coins: 500 },
      owned_by: 'video',
      created: 1740000000,
      model_type: 'video',
    },
  ];
}

/** §8 error bodies (normalised). */
export const straicoErrorBodies = {
  invalidKey: JSON.stringify({ error: 'Token is not valid', success: false }),
  noToken: JSON.stringify({ error: 'No token provided', success: false }),
  modelNotFound: JSON.stringify({
    error: 'Model not found: anthropic/claude-3.5-sonnet',
    success: false,
  }),
  /** ISS-22 / U-CTX text, normalised; Straico sends it with HTTP 500. */
  excessiveContext: JSON.stringify({
    error:
      "Warning: It seems we couldn't process your request this time, and rest assured, no coins " +
      'were deducted. This might be due to: Moderation; Excessively large context for the LLM ' +
      '(context length: 100000); High demands on our LLM providers.',
    success: false,
  }),
};

/** Straico ids as GET /v2/models lists them, for "did you mean" suggestions. */
export const knownStraicoModels: readonly string[] = [
  'amazon/nova-lite-v1',
  'anthropic/claude-3-5-sonnet',
  'anthropic/claude-3-haiku:beta',
  'anthropic/claude-3.7-sonnet',
  'meta-llama/llama-4-maverick',
  'openai/gpt-4o-mini',
  'openai/o4-mini',
];
