/**
 * The OpenAI Responses wire shapes the gateway reads (see shared/reference/openai-responses-api.md).
 * Open like chat.types.ts: fields the gateway does not interpret travel through untouched.
 */
export interface ResponseItem {
  type?: string;
  id?: string;
  [field: string]: unknown;
}

export interface ResponsesRequest {
  model?: string;
  input: string | ResponseItem[];
  instructions?: string | null;
  stream?: boolean;
  store?: boolean | null;
  previous_response_id?: string | null;
  [field: string]: unknown;
}

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; [field: string]: unknown };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number; [field: string]: unknown };
  total_tokens: number;
  [field: string]: unknown;
}

export type ResponseStatus =
  'completed' | 'incomplete' | 'failed' | 'in_progress' | 'queued' | 'cancelled';

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  model: string;
  output: ResponseItem[];
  usage: ResponseUsage | null;
  [field: string]: unknown;
}

/** One event of a streamed response: `type` names it, `sequence_number` counts from 0. */
export interface ResponseStreamEvent {
  type: string;
  sequence_number: number;
  response?: ResponseObject;
  [field: string]: unknown;
}
