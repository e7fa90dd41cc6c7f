import type { Response } from 'express';

/** The response headers that tell a client what memory did for its request. */
const NAMESPACE = 'x-memory-namespace';
const STATUS = 'x-memory-status';
const INJECTED = 'x-memory-injected';
const RETRIEVAL_MS = 'x-memory-retrieval-ms';

/** For the CORS expose list: browser clients on another origin may read these. */
export const MEMORY_HEADERS: readonly string[] = [NAMESPACE, STATUS, INJECTED, RETRIEVAL_MS];

/** The headers as the memory routes' API docs list them. */
export const MEMORY_HEADERS_DOC =
  `\`${NAMESPACE}\`, \`${STATUS}\` (ok, unavailable, off), \`${INJECTED}\`, ` +
  `\`${RETRIEVAL_MS}\``;

export type MemoryStatus = 'ok' | 'unavailable' | 'off';

export function sendMemoryNamespace(response: Response, namespace: string): void {
  response.setHeader(NAMESPACE, namespace);
}

export function sendMemoryStatus(response: Response, status: MemoryStatus): void {
  response.setHeader(STATUS, status);
}

/** How many memories recall added and how long it took. */
export function sendMemoryRecall(
  response: Response,
  recall: { injected: number; retrievalMs: number },
): void {
  response.setHeader(INJECTED, String(recall.injected));
  response.setHeader(RETRIEVAL_MS, String(recall.retrievalMs));
}
