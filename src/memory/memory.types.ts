/** One memory to store. The tenant and namespace are given separately, by the caller's key. */
export interface NewMemory {
  content: string;
  /** Who said it: user, assistant, or anything the API accepts. Default `user`. */
  role?: string;
  metadata?: Record<string, unknown>;
  /** Default: now. Kept to the millisecond. */
  createdAt?: Date;
  model?: string;
  requestId?: string;
  /** Unit-length vector from MEMORY_EMBEDDINGS_MODEL, for hybrid ranking. */
  embedding?: number[];
  /** Text of the neighbouring turns, searched with the memory at a lower weight. */
  context?: string;
}

export interface MemoryRecord {
  id: string;
  namespace: string;
  role: string;
  content: string;
  model: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface ScoredMemory extends MemoryRecord {
  /** ts_rank_cd normalised to [0, 1): higher is a better match. */
  score: number;
}

export interface AddResult {
  /** Ids of the rows written now. */
  inserted: string[];
  /** Items that were exact duplicates (same content and role) of a stored memory or each other. */
  skipped: number;
  /**
   * One per item, in order: the new or the already stored id. Null only if the stored duplicate
   * was deleted between the insert and the look-up.
   */
  items: Array<{ id: string | null; duplicate: boolean }>;
}

export interface ListOptions {
  limit?: number;
  /** From the previous page's `nextCursor`; takes precedence over `offset`. */
  cursor?: string;
  offset?: number;
}

export interface MemoryPage {
  items: MemoryRecord[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export interface SearchOptions {
  limit?: number;
  minScore?: number;
  /** The query's unit vector: ranks by text and by cosine similarity, fused. */
  embedding?: number[];
  /** With `embedding`: the least cosine similarity for a vector match. */
  minSimilarity?: number;
}

export interface NamespaceSummary {
  namespace: string;
  count: number;
  lastCreatedAt: Date;
}

/** A cursor that was not produced by `list` (the API answers 400). */
export class InvalidCursorError extends Error {
  constructor() {
    super('Invalid cursor');
    this.name = 'InvalidCursorError';
  }
}
