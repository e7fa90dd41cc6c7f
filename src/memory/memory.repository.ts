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
import { searchFlow } from './bm25/search-flow';
import { MEMORY_COLUMNS, vectorLiteral } from './memory-search.sql';
import { PostgresIndex } from './postgres-index';
import { PostgresSearchIndex } from './postgres-search';
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
import { MemoryRow, param, toRecord } from './postgres-rows';
import { SqlClient, SqlQueryable } from './sql-client';

// 10 parameters per row keeps a chunk far below Postgres' 65535-parameter limit.
const INSERT_CHUNK = 1000;

/**
 * Memories in Postgres. Every statement filters by tenant, the caller's API key: namespaces are
 * per tenant, so one key never reads or erases another's rows even under the same name.
 */
export class PostgresMemoryRepository implements MemoryRepository {
  private readonly searchIndex: PostgresSearchIndex;

  constructor(
    private readonly sql: SqlClient,
    private readonly candidatePostings?: number,
  ) {
    this.searchIndex = new PostgresSearchIndex(sql);
  }

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
    const scope = await PostgresIndex.lockScope(tx, tenant, namespace);
    const keyed = items.map((item) => ({
      ...item,
      role: item.role ?? DEFAULT_ROLE,
      hash: contentHash(item.content),
    }));
    const ids = new Map<string, string>();
    const inserted: string[] = [];
    const rows: Array<{ seq: number; createdAt: number }> = [];
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
            param(params, item.conversation === true),
            param(params, item.context ?? null),
          ].join(', ')}, ${param(params, JSON.stringify(item.metadata ?? {}))}::jsonb, ${at}, ${
            item.embedding === undefined
              ? 'NULL'
              : `${param(params, vectorLiteral(item.embedding))}::real[]`
          })`;
        });
        const written = await tx.query<{
          id: string;
          seq: string;
          created_at: Date;
          content_hash: string;
          role: string;
        }>(
          `INSERT INTO memories
             (tenant, namespace, role, content, content_hash, model, request_id, conversation, context,
              metadata,
              created_at, embedding)
           VALUES ${values.join(', ')}
           ON CONFLICT (tenant, namespace, content_hash, role) DO NOTHING
           RETURNING id, seq, created_at, content_hash, role`,
          params,
        );
        for (const row of written.rows) {
          ids.set(dedupeKey(row.content_hash, row.role), row.id);
          inserted.push(row.id);
          rows.push({ seq: Number(row.seq), createdAt: new Date(row.created_at).getTime() });
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
    await PostgresIndex.indexInserted(tx, scope, tenant, namespace, rows);
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
   * Relevance search: BM25 over the namespace's index (see bm25/search-flow), each memory
   * indexed with its conversation's neighbouring turns; with a query vector, fused with cosine
   * similarity. Best match first.
   */
  async search(
    tenant: string,
    namespace: string,
    query: string,
    options: SearchOptions = {},
  ): Promise<ScoredMemory[]> {
    const index = this.searchIndex.forSearch();
    const ranked = await searchFlow(index, tenant, namespace, query.slice(0, MAX_QUERY_CHARS), {
      ...options,
      limit: pageSize(options.limit, 10),
      budget: this.candidatePostings,
    });
    if (ranked.length === 0) {
      return [];
    }
    const bySeq = await index.resultRows(
      tenant,
      namespace,
      ranked.map((hit) => hit.seq),
    );
    return withinResultBudget(
      ranked
        .filter((hit) => bySeq.has(hit.seq))
        .map((hit) => ({ ...toRecord(bySeq.get(hit.seq)!), score: hit.score })),
    );
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
    return this.sql.transaction(async (tx) => {
      const scope = await PostgresIndex.lockScope(tx, tenant, namespace);
      const { rows } = await tx.query<{ seq: string; created_at: Date }>(
        'SELECT seq, created_at FROM memories WHERE tenant = $1 AND namespace = $2 AND id = $3',
        [tenant, namespace, id],
      );
      if (rows.length === 0) {
        return false;
      }
      const at = new Date(rows[0].created_at).getTime();
      await PostgresIndex.deleteRow(tx, scope, tenant, namespace, Number(rows[0].seq), at);
      return true;
    });
  }

  /** Returns how many memories were deleted. */
  async deleteNamespace(tenant: string, namespace: string): Promise<number> {
    return this.sql.transaction(async (tx) => {
      await PostgresIndex.erase(tx, await PostgresIndex.lockScope(tx, tenant, namespace));
      const { rows } = await tx.query<{ count: number }>(
        `WITH gone AS (DELETE FROM memories WHERE tenant = $1 AND namespace = $2 RETURNING 1)
         SELECT count(*)::int AS count FROM gone`,
        [tenant, namespace],
      );
      return rows[0].count;
    });
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
