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
import { ftsQuery, HIGHLIGHT_MARKS, matchScore, scopeToken } from './sqlite-search';
import { fuseRanks, rankBySimilarity, toBlob, VECTOR_WINDOW } from './sqlite-vectors';

// Text matches scored per search, best by FTS5's bm25 first: bounds the work of a common word.
const TEXT_CANDIDATES = 200;

/**
 * Memories in embedded SQLite (better-sqlite3, synchronous): full text by FTS5 with the porter
 * stemmer, scored on the Postgres store's scale (see matchScore). Statements are prepared once.
 */
export class SqliteMemoryRepository implements MemoryRepository {
  private readonly insert: Statement;
  private readonly existing: Statement;
  private readonly byId: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO memories (id, tenant, namespace, scope, role, content, content_hash, model,
         request_id, metadata, created_at, context, embedding)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    return run(() => {
      const limit = pageSize(options.limit, 10);
      const text = this.textMatches(tenant, namespace, query, options.minScore ?? 0);
      if (options.embedding === undefined) {
        return withinResultBudget(text.slice(0, limit));
      }
      const recent = this.db
        .prepare(
          `SELECT seq, embedding FROM memories
           WHERE tenant = ? AND namespace = ? AND embedding IS NOT NULL
           ORDER BY created_at DESC, seq DESC LIMIT ${VECTOR_WINDOW}`,
        )
        .all(tenant, namespace) as Array<{ seq: number; embedding: Buffer }>;
      const vectorHits = rankBySimilarity(recent, options.embedding, options.minSimilarity ?? 0);
      const fused = fuseRanks(
        text.slice(0, limit).map((memory) => memory.seq),
        vectorHits.slice(0, limit),
      ).slice(0, limit);
      const rows = this.rowsBySeq(fused.map((hit) => hit.seq));
      const scored = fused
        .filter((hit) => rows.has(hit.seq))
        .map((hit) => ({ ...toRecord(rows.get(hit.seq)!), score: hit.score }));
      return withinResultBudget(scored);
    }).then((found) => found.map(({ seq: _seq, ...memory }) => memory));
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
    return run(
      () =>
        UUID.test(id) &&
        this.db
          .prepare('DELETE FROM memories WHERE tenant = ? AND namespace = ? AND id = ?')
          .run(tenant, namespace, id).changes > 0,
    );
  }

  deleteNamespace(tenant: string, namespace: string): Promise<number> {
    return run(
      () =>
        this.db
          .prepare('DELETE FROM memories WHERE tenant = ? AND namespace = ?')
          .run(tenant, namespace).changes,
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
    const results = items.map((item) => {
      const id = randomUUID();
      const role = item.role ?? DEFAULT_ROLE;
      const hash = contentHash(item.content);
      const createdAt = item.createdAt?.getTime() ?? now;
      if (!Number.isFinite(createdAt)) {
        // As Postgres' repository fails on it (toISOString), so the batch is refused whole.
        throw new RangeError('Invalid time value');
      }
      const { changes } = this.insert.run(
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
        item.context ?? null,
        item.embedding === undefined ? null : toBlob(item.embedding),
      );
      if (changes > 0) {
        inserted.push(id);
        return { id, duplicate: false };
      }
      const stored = this.existing.get(tenant, namespace, hash, role) as { id: string } | undefined;
      return { id: stored?.id ?? null, duplicate: true };
    });
    return { inserted, skipped: items.length - inserted.length, items: results };
  }

  /** Every text match (up to TEXT_CANDIDATES), scored, at least `minScore`, best first. */
  private textMatches(
    tenant: string,
    namespace: string,
    query: string,
    minScore: number,
  ): Array<ScoredMemory & { seq: number }> {
    const match = ftsQuery(scopeToken(tenant, namespace), query.slice(0, MAX_QUERY_CHARS));
    if (match === undefined) {
      return [];
    }
    const [open, close] = HIGHLIGHT_MARKS;
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS.split(', ')
          .map((column) => `m.${column}`)
          .join(', ')}, hits.content_hits, hits.context_hits
         FROM (
           SELECT rowid,
             highlight(memories_fts, 1, ?, ?) AS content_hits,
             highlight(memories_fts, 2, ?, ?) AS context_hits
           FROM memories_fts WHERE memories_fts MATCH ?
           ORDER BY bm25(memories_fts, 0.0, 1.0, 0.2) LIMIT ${TEXT_CANDIDATES}
         ) AS hits JOIN memories m ON m.seq = hits.rowid
         WHERE m.tenant = ? AND m.namespace = ?`,
      )
      .all(open, close, open, close, match, tenant, namespace) as Array<
      MemoryRow & { content_hits: string | null; context_hits: string | null }
    >;
    return rows
      .map((row) => ({ ...toRecord(row), score: matchScore(row.content_hits, row.context_hits) }))
      .filter((memory) => memory.score >= minScore)
      .sort(
        (a, b) =>
          b.score - a.score || b.createdAt.getTime() - a.createdAt.getTime() || b.seq - a.seq,
      );
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
