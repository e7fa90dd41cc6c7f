import {
  AddResult,
  ListOptions,
  MemoryPage,
  MemoryRecord,
  MemoryRepository,
  NamespaceSummary,
  NewMemory,
  ScopedMemories,
  ScoredMemory,
  SearchOptions,
} from './memory.types';
import { decodeCursor, encodeCursor } from './memory-cursor';
import { HYBRID_SEARCH, MEMORY_COLUMNS, TEXT_SEARCH, vectorLiteral } from './memory-search.sql';
import {
  contentHash,
  dedupeKey,
  DEFAULT_PAGE,
  DEFAULT_ROLE,
  MAX_QUERY_CHARS,
  pageSize,
  UUID,
  withinResultBudget,
} from './repository-limits';
import { SqlClient, SqlQueryable } from './sql-client';

// 10 parameters per row keeps a chunk far below Postgres' 65535-parameter limit.
const INSERT_CHUNK = 1000;

interface MemoryRow {
  id: string;
  seq: string | number;
  namespace: string;
  role: string;
  content: string;
  model: string | null;
  request_id: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/**
 * Memories in Postgres. Every statement filters by tenant, the caller's API key: namespaces are
 * per tenant, so one key never reads or erases another's rows even under the same name.
 */
export class PostgresMemoryRepository implements MemoryRepository {
  constructor(private readonly sql: SqlClient) {}

  async add(tenant: string, namespace: string, items: NewMemory[]): Promise<AddResult> {
    return this.sql.transaction((tx) => this.write(tx, tenant, namespace, items));
  }

  async addBatch(writes: readonly ScopedMemories[]): Promise<AddResult[]> {
    return this.sql.transaction(async (tx) => {
      const results: AddResult[] = [];
      for (const write of writes) {
        results.push(await this.write(tx, write.tenant, write.namespace, write.items));
      }
      return results;
    });
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1 FROM memories LIMIT 1');
  }

  /** One namespace's items, inside the caller's transaction. */
  private async write(
    tx: SqlQueryable,
    tenant: string,
    namespace: string,
    items: NewMemory[],
  ): Promise<AddResult> {
    const keyed = items.map((item) => ({
      ...item,
      role: item.role ?? DEFAULT_ROLE,
      hash: contentHash(item.content),
    }));
    const ids = new Map<string, string>();
    const inserted: string[] = [];
    {
      for (let start = 0; start < keyed.length; start += INSERT_CHUNK) {
        const chunk = keyed.slice(start, start + INSERT_CHUNK);
        const params: unknown[] = [tenant, namespace];
        const values = chunk.map((item) => {
          // An ISO string, not a Date: drivers serialise Dates differently (pg: local time).
          const at =
            item.createdAt === undefined
              ? 'DEFAULT'
              : `${param(params, item.createdAt.toISOString())}::timestamptz`;
          return `($1, $2, ${[
            param(params, item.role),
            param(params, item.content),
            param(params, item.hash),
            param(params, item.model ?? null),
            param(params, item.requestId ?? null),
            param(params, item.context ?? null),
          ].join(', ')}, ${param(params, JSON.stringify(item.metadata ?? {}))}::jsonb, ${at}, ${
            item.embedding === undefined
              ? 'NULL'
              : `${param(params, vectorLiteral(item.embedding))}::real[]`
          })`;
        });
        const { rows } = await tx.query<{ id: string; content_hash: string; role: string }>(
          `INSERT INTO memories
             (tenant, namespace, role, content, content_hash, model, request_id, context, metadata,
              created_at, embedding)
           VALUES ${values.join(', ')}
           ON CONFLICT (tenant, namespace, content_hash, role) DO NOTHING
           RETURNING id, content_hash, role`,
          params,
        );
        for (const row of rows) {
          ids.set(dedupeKey(row.content_hash, row.role), row.id);
          inserted.push(row.id);
        }
      }
      // Duplicates: look up the ids of the rows already stored.
      const missing = [
        ...new Set(
          keyed.filter((item) => !ids.has(dedupeKey(item.hash, item.role))).map((i) => i.hash),
        ),
      ];
      if (missing.length > 0) {
        const { rows } = await tx.query<{ id: string; content_hash: string; role: string }>(
          `SELECT id, content_hash, role FROM memories
           WHERE tenant = $1 AND namespace = $2 AND content_hash = ANY($3::text[])`,
          [tenant, namespace, missing],
        );
        for (const row of rows) {
          ids.set(dedupeKey(row.content_hash, row.role), row.id);
        }
      }
    }
    const fresh = new Set(inserted);
    const reported = new Set<string>();
    const results = keyed.map((item) => {
      const id = ids.get(dedupeKey(item.hash, item.role)) ?? null;
      // The first item carrying a new id is the one that wrote it; repeats in the batch are not.
      const duplicate = id === null || !fresh.has(id) || reported.has(id);
      if (id !== null) {
        reported.add(id);
      }
      return { id, duplicate };
    });
    return { inserted, skipped: items.length - inserted.length, items: results };
  }

  /** Newest first. Keyset pagination: pages stay stable while memories are being added. */
  async list(tenant: string, namespace: string, options: ListOptions = {}): Promise<MemoryPage> {
    const limit = pageSize(options.limit, DEFAULT_PAGE);
    const params: unknown[] = [tenant, namespace];
    let where = 'tenant = $1 AND namespace = $2';
    let offset = '';
    if (options.cursor !== undefined) {
      const [createdAt, seq] = decodeCursor(options.cursor);
      where += ` AND (created_at, seq) < (${param(params, createdAt)}::timestamptz, ${param(params, seq)}::bigint)`;
    } else if (options.offset !== undefined && options.offset > 0) {
      offset = ` OFFSET ${param(params, Math.floor(options.offset))}`;
    }
    // One extra row tells whether there is a next page.
    const { rows } = await this.sql.query<MemoryRow>(
      `SELECT ${MEMORY_COLUMNS} FROM memories WHERE ${where}
       ORDER BY created_at DESC, seq DESC LIMIT ${param(params, limit + 1)}${offset}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toRecord),
      nextCursor:
        rows.length > limit && last !== undefined ? encodeCursor(last.created_at, last.seq) : null,
    };
  }

  /**
   * Relevance search: full text with English stemming ("dogs" finds "dog"), where a memory
   * matches if it shares any word of the query (stop words aside), ranked by how much of the
   * query it covers and how closely; best match first. Any-word rather than all-words because
   * the query is usually a question, whose wording rarely all appears in the turn that answers.
   */
  async search(
    tenant: string,
    namespace: string,
    query: string,
    options: SearchOptions = {},
  ): Promise<ScoredMemory[]> {
    if (query.trim() === '') {
      return [];
    }
    const { embedding } = options;
    const params: unknown[] = [
      tenant,
      namespace,
      query.slice(0, MAX_QUERY_CHARS),
      options.minScore ?? 0,
      pageSize(options.limit, 10),
    ];
    let sql = TEXT_SEARCH;
    if (embedding !== undefined) {
      // With a query vector: text rank and cosine similarity fused (see HYBRID_SEARCH).
      params.push(vectorLiteral(embedding), options.minSimilarity ?? 0);
      sql = HYBRID_SEARCH;
    }
    const { rows } = await this.sql.query<MemoryRow & { score: number }>(sql, params);
    return withinResultBudget(rows.map((row) => ({ ...toRecord(row), score: Number(row.score) })));
  }

  async get(tenant: string, namespace: string, id: string): Promise<MemoryRecord | null> {
    if (!UUID.test(id)) {
      return null;
    }
    const { rows } = await this.sql.query<MemoryRow>(
      `SELECT ${MEMORY_COLUMNS} FROM memories WHERE tenant = $1 AND namespace = $2 AND id = $3`,
      [tenant, namespace, id],
    );
    return rows.length === 0 ? null : toRecord(rows[0]);
  }

  /** False when there was no such memory (for this tenant and namespace). */
  async delete(tenant: string, namespace: string, id: string): Promise<boolean> {
    if (!UUID.test(id)) {
      return false;
    }
    const { rows } = await this.sql.query<{ id: string }>(
      'DELETE FROM memories WHERE tenant = $1 AND namespace = $2 AND id = $3 RETURNING id',
      [tenant, namespace, id],
    );
    return rows.length > 0;
  }

  /** Returns how many memories were deleted. */
  async deleteNamespace(tenant: string, namespace: string): Promise<number> {
    const { rows } = await this.sql.query<{ count: number }>(
      `WITH gone AS (DELETE FROM memories WHERE tenant = $1 AND namespace = $2 RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [tenant, namespace],
    );
    return rows[0].count;
  }

  /** The tenant's namespaces, by name, with their memory counts. */
  async namespaces(tenant: string): Promise<NamespaceSummary[]> {
    const { rows } = await this.sql.query<{
      namespace: string;
      count: number;
      last_created_at: Date;
    }>(
      `SELECT namespace, count(*)::int AS count, max(created_at) AS last_created_at
       FROM memories WHERE tenant = $1 GROUP BY namespace ORDER BY namespace`,
      [tenant],
    );
    return rows.map((row) => ({
      namespace: row.namespace,
      count: row.count,
      lastCreatedAt: new Date(row.last_created_at),
    }));
  }
}

/** Appends a parameter and returns its placeholder. */
function param(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

function toRecord(row: MemoryRow): MemoryRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    role: row.role,
    content: row.content,
    model: row.model,
    requestId: row.request_id,
    metadata: row.metadata,
    // A fresh Date whatever the driver handed back (a Date of another realm under Jest).
    createdAt: new Date(row.created_at),
  };
}
