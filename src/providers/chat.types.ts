/**
 * The OpenAI wire shapes the gateway reads. They are deliberately open (`[field: string]:
 * unknown`): fields the gateway does not interpret travel through untouched.
 */
export interface ChatMessage {
  role: string;
  content?: string | ContentPart[] | null;
  name?: string;
  tool_call_id?: string;
  [field: string]: unknown;
}

export interface ContentPart {
  type: string;
  [field: string]: unknown;
}

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean; [field: string]: unknown } | null;
  [field: string]: unknown;
}

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [field: string]: unknown;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; [field: string]: unknown };
    finish_reason: string | null;
    logprobs?: unknown;
    [field: string]: unknown;
  }>;
  usage?: CompletionUsage;
  [field: string]: unknown;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: string; content?: string | null; [field: string]: unknown };
    finish_reason: string | null;
    [field: string]: unknown;
  }>;
  usage?: CompletionUsage | null;
  [field: string]: unknown;
}

export interface ProviderModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  [field: string]: unknown;
}
