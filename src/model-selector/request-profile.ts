import { ChatCompletionRequest, ChatMessage } from '../providers/chat.types';
import { ComplexityCues, CUE_SCAN_CHARS, findCues } from './complexity-cues';
import { ModelTier } from '../catalog/model-catalog.types';
import { TokenCounter } from '../tokens/token-counter';

/** What the selector needs to know about a request. */
export interface RequestProfile {
  /** Estimated prompt tokens: text, images, tool definitions and message framing. */
  promptTokens: number;
  /** max_completion_tokens ?? max_tokens ?? DEFAULT_OUTPUT_TOKENS. */
  requestedOutputTokens: number;
  /** The client set the output limit (so a model must allow that much output). */
  explicitOutput: boolean;
  needs: {
    vision: boolean;
    tools: boolean;
    jsonSchema: boolean;
    /** Sets parameters reasoning models refuse (temperature, top_p, penalties, max_tokens...). */
    samplingParams: boolean;
  };
  cues: ComplexityCues;
  /** User turns in the conversation. */
  depth: number;
  complexityScore: number;
  tier: ModelTier;
}

/** Output budget assumed when the client sets none. */
export const DEFAULT_OUTPUT_TOKENS = 1_024;

// OpenAI's cookbook ("How to count tokens with tiktoken"): every message costs 3 tokens of
// framing plus its role, a name 1 more, and every reply is primed with 3.
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;
// OpenAI's vision guide: a low-detail image is 85 tokens; at high or auto detail it is 85 plus
// 170 per 512-pixel tile. Sizes are unknown without fetching the image, so assume a 1024x1024
// one: scaled to 768x768, four tiles, 765 tokens.
const LOW_DETAIL_IMAGE_TOKENS = 85;
const IMAGE_TOKENS = 765;

/**
 * Complexity points (documented in the README with examples):
 *   prompt tokens   < 500: 0 · 500–1,999: 1 · 2,000–7,999: 2 · 8,000 and more: 3
 *   code cue 2 · math cue 2 · reasoning: one cue 1, two or more distinct cues 2
 *   user turns      1–3: 0 · 4–9: 1 · 10 and more: 2
 * Tier: 0–1 small, 2–3 medium, 4 and more large.
 */
const LENGTH_STEPS = [500, 2_000, 8_000];
const DEPTH_STEPS = [4, 10];
const MEDIUM_FROM = 2;
const LARGE_FROM = 4;

/** The request's profile, made on first use and then kept: one tokenisation per request. */
export function lazyProfile(
  request: ChatCompletionRequest,
  tokenizer: TokenCounter,
): () => RequestProfile {
  let profile: RequestProfile | undefined;
  return () => (profile ??= profileRequest(request, tokenizer));
}

export function profileRequest(
  request: ChatCompletionRequest,
  tokenizer: TokenCounter,
): RequestProfile {
  const messages = (Array.isArray(request.messages) ? request.messages : []).filter(
    (message): message is ChatMessage => message !== null && typeof message === 'object',
  );
  const texts: string[] = [];
  let fixedTokens = REPLY_PRIMING_TOKENS;
  let vision = false;
  for (const message of messages) {
    fixedTokens += TOKENS_PER_MESSAGE;
    if (typeof message.name === 'string') {
      fixedTokens += TOKENS_PER_NAME;
      texts.push(message.name);
    }
    for (const part of contentParts(message)) {
      if (part.kind === 'text') {
        texts.push(part.text);
      } else {
        vision = true;
        fixedTokens += part.lowDetail ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_TOKENS;
      }
    }
    if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
      texts.push(JSON.stringify(message.tool_calls));
    }
  }
  const tools = nonEmptyArray(request.tools) ?? nonEmptyArray(request.functions);
  if (tools) {
    texts.push(JSON.stringify(tools));
  }
  const jsonSchema = jsonSchemaOf(request.response_format);
  if (jsonSchema !== undefined) {
    texts.push(JSON.stringify(jsonSchema));
  }
  // One pass over the joined text lets the tokenizer bound its work for the whole request.
  const promptTokens = fixedTokens + tokenizer.count(texts.join('\n'));

  const explicit = positiveInt(request.max_completion_tokens) ?? positiveInt(request.max_tokens);
  const cues = findCues(recentText(messages));
  const depth = messages.filter((message) => message.role === 'user').length;
  const complexityScore =
    step(promptTokens, LENGTH_STEPS) +
    (cues.code ? 2 : 0) +
    (cues.math ? 2 : 0) +
    Math.min(cues.reasoningCues, 2) +
    step(depth, DEPTH_STEPS);
  return {
    promptTokens,
    requestedOutputTokens: explicit ?? DEFAULT_OUTPUT_TOKENS,
    explicitOutput: explicit !== undefined,
    needs: {
      vision,
      tools: tools !== undefined,
      jsonSchema: jsonSchema !== undefined,
      samplingParams: setsSamplingParams(request),
    },
    cues,
    depth,
    complexityScore,
    tier:
      complexityScore >= LARGE_FROM ? 'large' : complexityScore >= MEDIUM_FROM ? 'medium' : 'small',
  };
}

type Part = { kind: 'text'; text: string } | { kind: 'image'; lowDetail: boolean };

function* contentParts(message: ChatMessage): Generator<Part> {
  const content: unknown = message.content;
  if (typeof content === 'string') {
    yield { kind: 'text', text: content };
    return;
  }
  if (!Array.isArray(content)) {
    return;
  }
  for (const part of content as unknown[]) {
    if (part === null || typeof part !== 'object') {
      continue;
    }
    const { type, text, image_url: image } = part as Record<string, unknown>;
    if (type === 'text' && typeof text === 'string') {
      yield { kind: 'text', text };
    } else if (type === 'image_url') {
      const detail = (image as { detail?: unknown } | undefined)?.detail;
      yield { kind: 'image', lowDetail: detail === 'low' };
    }
  }
}

/** The newest messages' text, up to CUE_SCAN_CHARS: enough for cues, bounded for regexes. */
function recentText(messages: readonly ChatMessage[]): string {
  const pieces: string[] = [];
  let budget = CUE_SCAN_CHARS;
  for (let index = messages.length - 1; index >= 0 && budget > 0; index -= 1) {
    for (const part of contentParts(messages[index])) {
      if (part.kind === 'text' && budget > 0) {
        pieces.push(part.text.slice(0, budget));
        budget -= Math.min(part.text.length, budget);
      }
    }
  }
  return pieces.join('\n');
}

function jsonSchemaOf(format: unknown): unknown {
  if (format === null || typeof format !== 'object') {
    return undefined;
  }
  const { type, json_schema: schema } = format as { type?: unknown; json_schema?: unknown };
  return type === 'json_schema' ? (schema ?? {}) : undefined;
}

/** o-series models answer 400 to any of these set to a non-default value. */
function setsSamplingParams(request: ChatCompletionRequest): boolean {
  const differs = (field: string, neutral: unknown) =>
    request[field] !== undefined && request[field] !== null && request[field] !== neutral;
  return (
    differs('temperature', 1) ||
    differs('top_p', 1) ||
    differs('presence_penalty', 0) ||
    differs('frequency_penalty', 0) ||
    differs('logprobs', false) ||
    differs('top_logprobs', undefined) ||
    differs('max_tokens', undefined) ||
    (typeof request.logit_bias === 'object' &&
      request.logit_bias !== null &&
      Object.keys(request.logit_bias).length > 0)
  );
}

function step(value: number, steps: readonly number[]): number {
  return steps.filter((threshold) => value >= threshold).length;
}

function nonEmptyArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
