import type { Server, IncomingHttpHeaders } from 'node:http';

/**
 * One scripted reply, taken by the next chat/prompt POST that passes auth and validation
 * (`enqueue`) or by the next authenticated GET (`enqueueGet`).
 */
export interface StraicoScriptedReply {
  /** Raw reply with this status and `body`; a 2xx without `body` = normal answer, that status. */
  status?: number;
  /** Raw JSON body (or text); default for non-2xx: `{"error":"Scripted failure","success":false}`. */
  body?: unknown;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }`. */
  headers?: Record<string, string>;
  /** Wait before answering (normally or with the raw reply). */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Destroy the socket without answering (after `delayMs`). */
  drop?: boolean;
  /** Answer text instead of the default/echo answer ('' allowed, e.g. reasoning-only replies). */
  content?: string;
  /** `choices[0].message.reasoning`. */
  reasoning?: string | null;
  /** Native finish reason: sets `finish_reason` and `native_finish_reason`. */
  finishReason?: string;
  /** `completion.model` reported back (v1 `completions` keys stay the requested ids). */
  model?: string;
  /** `model_selector_justification` (only emitted when the selector was used). */
  justification?: string;
  /** v1 prompt only: requested id → error text; that completion becomes `{ error }`, zero price/words. */
  modelErrors?: Record<string, string>;
}

export interface StraicoRecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  aborted: boolean;
}

/** A `GET /v2/models` list entry; image/video/audio models have a different `pricing` shape. */
export interface StraicoModel {
  id: string;
  name: string;
  model_type: 'chat' | 'image' | 'video' | 'audio' | string;
  pricing: { coins: number; words: number } | Record<string, unknown>;
  word_limit?: number;
  max_output?: number;
  metadata?: Record<string, any>;
  owned_by?: string;
  created?: number;
  object?: 'model' | string;
}

export interface StraicoAmounts {
  input: number;
  output: number;
  total: number;
}

export interface FakeStraicoUpstream {
  server: Server;
  requests: StraicoRecordedRequest[];
  /** Queue scripted replies for chat/prompt POSTs. */
  enqueue(...replies: StraicoScriptedReply[]): void;
  /** Queue scripted replies for `GET /v2/models`, `/v2/models/{id}`, `/v0/user`. */
  enqueueGet(...replies: StraicoScriptedReply[]): void;
  reset(): void;
  /** `/v0/chat/completions` and `/v2/chat/completions` requests, newest last. */
  chatRequests(): StraicoRecordedRequest[];
  /** `/v0/prompt/completion` and `/v1/prompt/completion` requests, newest last. */
  promptRequests(): StraicoRecordedRequest[];
  /** Bare origin `http://127.0.0.1:<port>` (paths carry their version). */
  readonly url: string;
  listen(): Promise<FakeStraicoUpstream>;
  close(): Promise<void>;
}

export interface FakeStraicoOptions {
  port?: number;
  /** Expected `Authorization: Bearer <apiKey>`; default `straico-test-key`. */
  apiKey?: string;
  /** Replaces the `GET /v2/models` list (and the models known to the chat/prompt endpoints). */
  models?: StraicoModel[];
  /** Record requests in `requests` (default true). */
  record?: boolean;
  /** Default answer text (default `Hello from Straico!`). */
  answer?: string;
  /** Success status of the chat endpoints (default 201; the real one is UNCERTAIN). */
  chatStatus?: number;
}

export const DEFAULT_MODELS: StraicoModel[];
export const DEFAULT_API_KEY: string;
export const DEFAULT_ANSWER: string;
export function createFakeStraicoUpstream(options?: FakeStraicoOptions): FakeStraicoUpstream;
