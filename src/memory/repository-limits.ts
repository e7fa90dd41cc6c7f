import { createHash } from 'node:crypto';

/** Shared by both stores' repositories, so they page, dedupe and cut queries the same way. */
export const DEFAULT_ROLE = 'user';
export const DEFAULT_PAGE = 20;
const MAX_PAGE = 500;
// Longer queries only add rare words and cost; the latest turns carry the intent.
export const MAX_QUERY_CHARS = 4000;
/**
 * Search answers carry at most this much text: past it, lower-ranked memories are left out
 * (the best one is always kept). Memories are at most MAX_MEMORY_CHARS each, so this holds a
 * full page of ordinary turns.
 */
export const MAX_SEARCH_RESULT_CHARS = 256_000;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function pageSize(limit: number | undefined, fallback: number): number {
  return Math.min(Math.max(Math.floor(limit ?? fallback), 1), MAX_PAGE);
}

export function dedupeKey(hash: string, role: string): string {
  return `${hash}\u0000${role}`;
}

/** The best-ranked results whose text fits MAX_SEARCH_RESULT_CHARS (at least one). */
export function withinResultBudget<T extends { content: string }>(ranked: readonly T[]): T[] {
  let budget = MAX_SEARCH_RESULT_CHARS;
  const kept: T[] = [];
  for (const item of ranked) {
    if (kept.length > 0 && item.content.length > budget) {
      break;
    }
    kept.push(item);
    budget -= item.content.length;
  }
  return kept;
}
