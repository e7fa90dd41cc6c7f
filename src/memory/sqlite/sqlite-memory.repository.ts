import type { Database, Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

import { decodeCursor, encodeCursor } from '../memory-cursor';
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
} from '../memory.types';
import {
  contentHash,
  DEFAULT_PAGE,
  DEFAULT_ROLE,
  MAX_QUERY_CHARS,
  pageSize,
  UUID,
  withinResultBudget,
} from '../repository-limits';
import { COLUMNS, MemoryRow, run, stripSeq, toRecord } from './sqlite-rows';
import { searchFlow } from '../bm25/search-flow';
import { SqliteIndex } from './sqlite-index';
import { scopeToken, SqliteSearchIndex } from './sqlite-search';
import { toBlob } from './sqlite-vectors';

/**
 * Memories in embedded SQLite (better-sqlite3, synchronous), ranked by BM25 over the index of
 * bm25/ kept in the same transactions (SqliteIndex), as the Postgres store does, so both give
 * the same results. Statements are prepared once.
 */
export class SqliteMemoryRepository implements MemoryRepository {
  readonly index: SqliteIndex;
  private readonly searchIndex: SqliteSearchIndex;
  private readonly insert: Statement;
  private readonly existing: Statement;
  private readonly byId: Statement;

  constructor(
    private readonly db: Database,
    private readonly candidatePostings?: number,
  ) {
    this.index = new SqliteIndex(db);
    this.searchIndex = new SqliteSearchIndex(db);
    this.insert = db.prepare(
      `INSERT INTO memories (id, tenant, namespace, scope, role, content, content_hash, model,
         request_id, metadata, created_at, conversation, context, embedding)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, namespace, content_hash, role) DO NOTHING`,
    );
    this.existing = db.prepare(
      `SELECT id FROM memories
       WHERE tenant = ? AND namespace = ? AND content_hash = ? AND role = ?`,
    );
    this.byId = db.prepare(
      `SELECT ${COLUMNS} FROM memories WHERE tenant = ? AND namespace = ? AND id = ?`,
    );
  }

  add(tenant: string, namespace: string, items: NewMemory[]): Promise<AddResult> {
    return this.addBatch([{ tenant, namespace, items }]).then(([result]) => result);
  }

  addBatch(writes: readonly ScopedMemories[]): Promise<AddResult[]> {
    return run(() =>
      this.db.transaction(() => writes.map((write) => this.write(write))).immediate(),
    );
  }

  list(tenant: string, namespace: string, options: ListOptions = {}): Promise<MemoryPage> {
    return run(() => {
      const limit = pageSize(options.limit, DEFAULT_PAGE);
      const params: unknown[] = [tenant, namespace];
      let where = 'tenant = ? AND namespace = ?';
      let offset = '';
      if (options.cursor !== undefined) {
        const [createdAt, seq] = decodeCursor(options.cursor);
        where += ' AND (created_at, seq) < (?, ?)';
        params.push(Date.parse(createdAt), Number(seq));
      } else if (options.offset !== undefined && options.offset > 0) {
        offset = ' OFFSET ?';
      }
      params.push(limit + 1);
      if (offset !== '') {
        params.push(Math.floor(options.offset!));
      }
      const rows = this.db
        .prepare(
          `SELECT ${COLUMNS} FROM memories WHERE ${where}
           ORDER BY created_at DESC, seq DESC LIMIT ?${offset}`,
        )
        .all(...params) as MemoryRow[];
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toRecord),
        nextCursor:
          rows.length > limit && last !== undefined
            ? encodeCursor(new Date(last.created_at), last.seq)
            : null,
      };
    });
  }

  search(
    tenant: string,
    namespace: string,
    query: string,
    options: SearchOptions = {},
  ): Promise<ScoredMemory[]> {
    return searchFlow(this.searchIndex, tenant, namespace, query.slice(0, MAX_QUERY_CHARS), {
      ...options,
      limit: pageSize(options.limit, 10),
      budget: this.candidatePostings,
    }).then((ranked) => {
      const rows = this.rowsBySeq(ranked.map((hit) => hit.seq));
      return withinResultBudget(
        ranked
          .filter((hit) => rows.has(hit.seq))
          .map((hit) => ({ ...stripSeq(toRecord(rows.get(hit.seq)!)), score: hit.score })),
      );
    });
  }

  get(tenant: string, namespace: string, id: string): Promise<MemoryRecord | null> {
    return run(() => {
      if (!UUID.test(id)) {
        return null;
      }
      const row = this.byId.get(tenant, namespace, id) as MemoryRow | undefined;
      return row === undefined ? null : stripSeq(toRecord(row));
    });
  }

  delete(tenant: string, namespace: string, id: string): Promise<boolean> {
    return run(() => {
      if (!UUID.test(id)) {
        return false;
      }
      return this.db
        .transaction(() => {
          const row = this.db
            .prepare(
              'SELECT seq, created_at FROM memories WHERE tenant = ? AND namespace = ? AND id = ?',
            )
            .get(tenant, namespace, id) as { seq: number; created_at: number } | undefined;
          if (row !== undefined) {
            this.index.deleteRow(tenant, namespace, row.seq, row.created_at);
          }
          return row !== undefined;
        })
        .immediate();
    });
  }

  deleteNamespace(tenant: string, namespace: string): Promise<number> {
    return run(() =>
      this.db
        .transaction(() => {
          this.index.erase(tenant, namespace);
          return this.db
            .prepare('DELETE FROM memories WHERE tenant = ? AND namespace = ?')
            .run(tenant, namespace).changes;
        })
        .immediate(),
    );
  }

  namespaces(tenant: string): Promise<NamespaceSummary[]> {
    return run(() =>
      (
        this.db
          .prepare(
            `SELECT namespace, count(*) AS count, max(created_at) AS last_created_at
             FROM memories WHERE tenant = ? GROUP BY namespace ORDER BY namespace`,
          )
          .all(tenant) as Array<{ namespace: string; count: number; last_created_at: number }>
      ).map((row) => ({
        namespace: row.namespace,
        count: row.count,
        lastCreatedAt: new Date(row.last_created_at),
      })),
    );
  }

  ping(): Promise<void> {
    return run(() => {
      this.db.prepare('SELECT 1 FROM memories LIMIT 1').get();
    });
  }

  /** One namespace's items, inside the caller's transaction. */
  private write({ tenant, namespace, items }: ScopedMemories): AddResult {
    const scope = scopeToken(tenant, namespace);
    const now = Date.now();
    const inserted: string[] = [];
    const rows: Array<{ seq: number; createdAt: number }> = [];
    const results = items.map((item) => {
      const id = randomUUID();
      const role = item.role ?? DEFAULT_ROLE;
      const hash = contentHash(item.content);
      const createdAt = item.createdAt?.getTime() ?? now;
      if (!Number.isFinite(createdAt)) {
        // As Postgres' repository fails on it (toISOString), so the batch is refused whole.
        throw new RangeError('Invalid time value');
      }
      const { changes, lastInsertRowid } = this.insert.run(
        id,
        tenant,
        namespace,
        scope,
        role,
        item.content,
        hash,
        item.model ?? null,
        item.requestId ?? null,
        JSON.stringify(item.metadata ?? {}),
        createdAt,
        item.conversation === true ? 1 : 0,
        item.context ?? null,
        item.embedding === undefined ? null : toBlob(item.embedding),
      );
      if (changes > 0) {
        inserted.push(id);
        rows.push({ seq: Number(lastInsertRowid), createdAt });
        return { id, duplicate: false };
      }
      const stored = this.existing.get(tenant, namespace, hash, role) as { id: string } | undefined;
      return { id: stored?.id ?? null, duplicate: true };
    });
    this.index.indexInserted(tenant, namespace, rows);
    return { inserted, skipped: items.length - inserted.length, items: results };
  }

  private rowsBySeq(seqs: number[]): Map<number, MemoryRow> {
    if (seqs.length === 0) {
      return new Map();
    }
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM memories WHERE seq IN (${seqs.map(() => '?').join(', ')})`)
      .all(...seqs) as MemoryRow[];
    return new Map(rows.map((row) => [row.seq, row]));
  }
}
