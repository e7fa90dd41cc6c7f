import type { Server, IncomingHttpHeaders } from 'node:http';

export interface ScriptedReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  chunks?: string[];
  chunkDelayMs?: number;
  drop?: 'before-headers' | 'after-first-chunk';
  hang?: boolean;
  rawSse?: string;
  splitAt?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** The request body's `model`, when it has one. */
  model?: string;
  aborted: boolean;
}

export interface FakeOpenAiUpstream {
  server: Server;
  requests: RecordedRequest[];
  enqueue(...replies: ScriptedReply[]): void;
  /** Replies for requests naming this upstream model, taken before the shared queue. */
  enqueueFor(model: string, ...replies: ScriptedReply[]): void;
  /** Scripted replies for `/v1/embeddings`; without one, deterministic vectors are computed. */
  enqueueEmbeddings(...replies: Array<{ status: number; body?: unknown }>): void;
  reset(): void;
  chatRequests(): RecordedRequest[];
  responsesRequests(): RecordedRequest[];
  embeddingRequests(): RecordedRequest[];
  readonly url: string;
  listen(): Promise<FakeOpenAiUpstream>;
  close(): Promise<void>;
}

export const DEFAULT_MODELS: string[];
export function createFakeOpenAiUpstream(options?: {
  port?: number;
  models?: string[];
  record?: boolean;
  answer?: string;
  /** false: a Chat-only server, `/v1/responses` answers 404. */
  responses?: boolean;
}): FakeOpenAiUpstream;
