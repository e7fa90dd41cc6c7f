import { HttpStatus } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { ProviderException } from '../../common/errors/provider.exception';

import { ChatCompletion, CompletionUsage } from '../chat.types';
import {
  StraicoAmounts,
  StraicoChatResponse,
  StraicoCompletion,
  StraicoPromptV1Response,
} from './straico.types';
import { EmulatedToolCall, extractJson, parseToolCalls, ToolDefinition } from './straico-tools';

/** What the gateway learns from a Straico answer beyond the completion itself. */
export interface StraicoAnswer {
  completion: ChatCompletion;
  coins?: number;
  selectionReason?: string;
}

export interface AnswerShaping {
  tools: ToolDefinition[];
  /** The caller asked for JSON (response_format json_object / json_schema). */
  wantsJson: boolean;
  /** Used when Straico does not say which model answered. */
  requestedModel: string;
}

const FINISH_REASONS: Record<string, string> = {
  stop: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  length: 'length',
  max_tokens: 'length',
  model_length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
};

export function normaliseFinishReason(native: string | null | undefined): string {
  return native && Object.hasOwn(FINISH_REASONS, native) ? FINISH_REASONS[native] : 'stop';
}

/** v2 chat answer → OpenAI chat.completion, with tool calls and JSON read back if asked for. */
export function fromStraicoChatResponse(
  body: StraicoChatResponse,
  shaping: AnswerShaping,
): StraicoAnswer {
  return {
    completion: toCompletion(body, body.price, body.words, shaping),
    coins: body.price?.total,
    selectionReason: body.model_selector_justification,
  };
}

/** v1 prompt answer: each entry of the `completions` map becomes one choice. */
export function fromStraicoPromptV1Response(
  body: StraicoPromptV1Response,
  shaping: AnswerShaping,
): StraicoAnswer {
  const entries = Object.entries(body.data?.completions ?? {}).filter(
    ([, entry]) => entry.completion && !entry.completion.error,
  );
  if (entries.length === 0) {
    // Every model failed: there is no answer to return, only Straico's reason.
    const failed = Object.values(body.data?.completions ?? {})[0]?.completion?.error;
    throw new ProviderException(
      'straico',
      'upstream_error',
      HttpStatus.BAD_GATEWAY,
      {
        message: `Straico failed: ${typeof failed === 'string' ? failed : 'no model produced an answer'}`,
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      },
      true,
    );
  }
  const completions = entries.map(([id, entry]) =>
    toCompletion({ model: id, ...entry.completion }, entry.price, entry.words, shaping),
  );
  const first = completions[0];
  const choices = completions.map((completion, index) => ({ ...completion.choices[0], index }));
  const usage = completions.reduce<CompletionUsage>(
    (sum, completion) => ({
      prompt_tokens: sum.prompt_tokens + (completion.usage?.prompt_tokens ?? 0),
      completion_tokens: sum.completion_tokens + (completion.usage?.completion_tokens ?? 0),
      total_tokens: sum.total_tokens + (completion.usage?.total_tokens ?? 0),
    }),
    { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  );
  return {
    completion: {
      ...first,
      choices,
      usage: {
        ...usage,
        straico: straicoUsage(body.data?.overall_price, body.data?.overall_words),
      },
    },
    coins: body.data?.overall_price?.total,
    selectionReason: body.data?.model_selector_justification,
  };
}

function toCompletion(
  body: StraicoCompletion,
  price: StraicoAmounts | undefined,
  words: StraicoAmounts | undefined,
  shaping: AnswerShaping,
): ChatCompletion {
  const choice = body.choices?.[0];
  // Reasoning models may put all their text in `reasoning` and leave content empty.
  const content = choice?.message?.content || choice?.message?.reasoning || '';
  const toolCalls = shaping.tools.length > 0 ? parseToolCalls(content, shaping.tools) : null;
  const finishReason = toolCalls ? 'tool_calls' : normaliseFinishReason(choice?.finish_reason);
  const usage = body.usage ?? {};
  return {
    id: body.id ?? `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: body.created ?? Math.floor(Date.now() / 1000),
    model: body.model ?? shaping.requestedModel,
    choices: [
      {
        index: 0,
        message: assistantMessage(
          content,
          toolCalls,
          shaping.wantsJson,
          choice?.message?.reasoning,
        ),
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      prompt_tokens: usage.prompt_tokens ?? 0,
      completion_tokens: usage.completion_tokens ?? 0,
      total_tokens:
        usage.total_tokens ?? (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0),
      straico: straicoUsage(price, words),
    },
  };
}

function assistantMessage(
  content: string,
  toolCalls: EmulatedToolCall[] | null,
  wantsJson: boolean,
  reasoning: string | null | undefined,
): ChatCompletion['choices'][number]['message'] {
  if (toolCalls) {
    return { role: 'assistant', content: null, refusal: null, tool_calls: toolCalls };
  }
  const text = wantsJson ? (extractJson(content) ?? content) : content;
  return { role: 'assistant', content: text, refusal: null, ...(reasoning ? { reasoning } : {}) };
}

/** Straico bills in coins and counts words; both are kept next to the token usage. */
function straicoUsage(price: StraicoAmounts | undefined, words: StraicoAmounts | undefined) {
  return { coins: price?.total ?? null, price: price ?? null, words: words ?? null };
}
