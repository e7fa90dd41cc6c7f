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
import { boostRecent, rankByBm25, RECENCY_DEPTH } from '../bm25/bm25';
import { WeightedQuery, weightedQueryTerms } from '../bm25/query-terms';
import { FEEDBACK_DOCS, withFeedback } from '../bm25/feedback';
import { fuseRanks } from '../rank-fusion';
import { SqliteIndex } from './sqlite-index';
import { scopeToken } from './sqlite-search';
import { rankBySimilarity, toBlob, VECTOR_WINDOW } from './sqlite-vectors';

/**
 * Memories in embedded SQLite (better-sqlite3, synchronous), ranked by BM25 over the index of
 * bm25/ kept in the same transactions (SqliteIndex), as the Postgres store does, so both give
 * the same results. Statements are prepared once.
 */
export class SqliteMemoryRepository implements MemoryRepository {
  readonly index: SqliteIndex;
  private readonly insert: Statement;
  private readonly existing: Statement;
  private readonly byId: Statement;

  constructor(
    private readonly db: Database,
    private readonly candidatePostings?: number,
  ) {
    this.index = new SqliteIndex(db);
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
    return run(() => {
      const limit = pageSize(options.limit, 10);
      const text = this.textMatches(tenant, namespace, query, options.minScore ?? 0, limit);
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

  /** The best `limit` BM25 matches scoring at least `minScore`, best first. */
  private textMatches(
    tenant: string,
    namespace: string,
    query: string,
    minScore: number,
    limit: number,
  ): Array<ScoredMemory & { seq: number }> {
    const first = this.rank(
      tenant,
      namespace,
      weightedQueryTerms(query.slice(0, MAX_QUERY_CHARS)),
      limit,
    );
    let ranked = first.ranked;
    if (ranked.length > 0) {
      const top = ranked.slice(0, FEEDBACK_DOCS);
      const rows = this.rowsBySeq(top.map((hit) => hit.seq));
      const best = top
        .filter((hit) => rows.has(hit.seq))
        .map((hit) => ({ content: rows.get(hit.seq)!.content, score: hit.score }));
      ranked = this.rank(tenant, namespace, withFeedback(first.query, best), limit).ranked;
    }
    ranked = boostRecent(ranked, RECENCY_DEPTH * limit)
      .filter((hit) => hit.score >= minScore)
      .slice(0, limit);
    const rows = this.rowsBySeq(ranked.map((hit) => hit.seq));
    return ranked
      .filter((hit) => rows.has(hit.seq))
      .map((hit) => ({ ...toRecord(rows.get(hit.seq)!), score: hit.score }));
  }

  private rank(tenant: string, namespace: string, query: WeightedQuery, limit: number) {
    const { terms, weights } = query;
    const data = this.index.searchData(
      tenant,
      namespace,
      terms,
      RECENCY_DEPTH * limit,
      this.candidatePostings,
      weights,
    );
    const ranked =
      data === undefined ? [] : rankByBm25(data.postings, terms, data.df, data.stats, weights);
    return { query, ranked };
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
