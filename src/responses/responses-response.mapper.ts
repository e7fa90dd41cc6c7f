import { randomBytes } from 'node:crypto';

import { ChatCompletion, CompletionUsage } from '../providers/chat.types';
import {
  ResponseItem,
  ResponseObject,
  ResponsesRequest,
  ResponseUsage,
} from '../providers/responses.types';

/** Responses ids: a prefix and opaque hex, as OpenAI mints them (`resp_`, `msg_`, `fc_`). */
export function mintId(prefix: 'resp' | 'msg' | 'fc'): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}

/** What a translated response needs besides the upstream's answer. */
export interface ResponseMeta {
  id: string;
  createdAt: number;
  request: ResponsesRequest;
}

/** Chat Completions → Responses, for a complete (non-streamed) answer. */
export function toResponse(completion: ChatCompletion, meta: ResponseMeta): ResponseObject {
  const choice = completion.choices.find((candidate) => candidate.index === 0);
  const message = choice?.message;
  const output: ResponseItem[] = [];
  const text = typeof message?.content === 'string' ? message.content : '';
  const refusal = typeof message?.refusal === 'string' ? message.refusal : '';
  if (text !== '' || refusal !== '') {
    output.push(messageItem(mintId('msg'), text, refusal));
  }
  const toolCalls = (message?.tool_calls ?? []) as Array<{
    id: string;
    function?: { name?: string; arguments?: string };
  }>;
  for (const call of toolCalls) {
    output.push(
      functionCallItem(mintId('fc'), call.id, call.function?.name ?? '', call.function?.arguments),
    );
  }
  return responseObject(meta, {
    model: completion.model,
    output,
    usage: toResponseUsage(completion.usage),
    ...finishStatus(choice?.finish_reason ?? null),
  });
}

export function messageItem(id: string, text: string, refusal = ''): ResponseItem {
  const content =
    refusal !== '' && text === ''
      ? [{ type: 'refusal', refusal }]
      : [{ type: 'output_text', text, annotations: [], logprobs: [] }];
  return { type: 'message', id, status: 'completed', role: 'assistant', content };
}

export function functionCallItem(
  id: string,
  callId: string,
  name: string,
  args = '',
): ResponseItem {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status: 'completed' };
}

/** Chat's finish_reason as a Responses status; `incomplete` always says why (Vercel needs it). */
export function finishStatus(
  finishReason: string | null,
): Pick<ResponseObject, 'status' | 'incomplete_details'> {
  if (finishReason === 'length') {
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  }
  if (finishReason === 'content_filter') {
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  }
  return { status: 'completed', incomplete_details: null };
}

/** Both detail objects are always present: openai-node types them as required numbers. */
export function toResponseUsage(usage: CompletionUsage | null | undefined): ResponseUsage | null {
  if (!usage) {
    return null;
  }
  const cached = (usage.prompt_tokens_details as { cached_tokens?: number } | undefined)
    ?.cached_tokens;
  const reasoning = (usage.completion_tokens_details as { reasoning_tokens?: number } | undefined)
    ?.reasoning_tokens;
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: cached ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: reasoning ?? 0 },
    total_tokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
  };
}

/** The usage fields the gateway's limits and metrics count, from a Responses usage. */
export function toChatUsage(usage: ResponseUsage | null | undefined): CompletionUsage | undefined {
  if (!usage || typeof usage.input_tokens !== 'number') {
    return undefined;
  }
  return {
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens ?? usage.input_tokens + usage.output_tokens,
  };
}

/** The full response object, echoing the request's settings as OpenAI does. */
export function responseObject(
  meta: ResponseMeta,
  state: Pick<ResponseObject, 'status' | 'output' | 'usage' | 'incomplete_details'> & {
    model?: string;
    error?: ResponseObject['error'];
  },
): ResponseObject {
  const request = meta.request;
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.createdAt,
    status: state.status,
    error: state.error ?? null,
    incomplete_details: state.incomplete_details,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    model: state.model || request.model || 'auto',
    output: state.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage: state.usage,
    user: request.user ?? null,
  };
}

/** What the SDKs call `output_text`: every output_text part of every message, joined. */
export function outputTextOf(response: { output?: ResponseItem[] }): string {
  return (response.output ?? [])
    .filter((item) => item.type === 'message')
    .flatMap((item) => (Array.isArray(item.content) ? (item.content as ResponseItem[]) : []))
    .filter((part) => part.type === 'output_text' && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('');
}
