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
  /**
   * A turn of a conversation: indexed with the turns around it (see bm25/conversation-index).
   * Default false: a standalone memory, indexed with its own words only.
   */
  conversation?: boolean;
  /**
   * The turn before this one when it is not stored as a memory (the caller's history in a
   * completion): indexed as the turn before, unless a stored turn is there.
   */
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
  /** BM25 mapped to (0, 1) (fused rank in [0, 1] with embeddings): higher is better. */
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

/** One queued write: memories of one tenant's namespace. */
export interface ScopedMemories {
  tenant: string;
  namespace: string;
  items: NewMemory[];
}

/**
 * What the gateway needs from a memory store; Postgres and embedded SQLite implement it with the
 * same behaviour (and the same test suites). Every call filters by tenant, the caller's API key:
 * namespaces are per tenant, so one key never reads or erases another's rows.
 */
export interface MemoryRepository {
  /** Exact duplicates (same content and role in the namespace) are skipped, not stored twice. */
  add(tenant: string, namespace: string, items: NewMemory[]): Promise<AddResult>;
  /** Several writes in one transaction: all stored, or none (the caller then splits them). */
  addBatch(writes: readonly ScopedMemories[]): Promise<AddResult[]>;
  /** Newest first. Keyset pagination: pages stay stable while memories are being added. */
  list(tenant: string, namespace: string, options?: ListOptions): Promise<MemoryPage>;
  /** Relevance search, best match first, scores in (0, 1]. */
  search(
    tenant: string,
    namespace: string,
    query: string,
    options?: SearchOptions,
  ): Promise<ScoredMemory[]>;
  get(tenant: string, namespace: string, id: string): Promise<MemoryRecord | null>;
  /** False when there was no such memory (for this tenant and namespace). */
  delete(tenant: string, namespace: string, id: string): Promise<boolean>;
  /** Returns how many memories were deleted. */
  deleteNamespace(tenant: string, namespace: string): Promise<number>;
  /** The tenant's namespaces, by name, with their memory counts. */
  namespaces(tenant: string): Promise<NamespaceSummary[]>;
  /** Resolves when the store answers a trivial query; for readiness. */
  ping(): Promise<void>;
}
