import type { Database, Statement } from 'better-sqlite3';

import { ScopeStats } from '../bm25/bm25';
import {
  IndexedRow,
  IndexPlan,
  NEIGHBOUR_REACH,
  planIndexChanges,
  rowsNear,
} from '../bm25/conversation-index';

// Rows read beyond a change on each side: the re-indexed rows and their own neighbours.
const WINDOW_EXTRA = 2 * NEIGHBOUR_REACH;
const ROW = 'seq, created_at AS createdAt, conversation, role, content, context, terms, dl';

/**
 * The embedded store's BM25 index: per namespace (scope) statistics, document frequencies and
 * postings, kept by the repository's write transactions (see bm25/conversation-index for what
 * a memory's entry holds). Synchronous, as better-sqlite3 transactions must be.
 */
export class SqliteIndex {
  private readonly scopeOf: Statement;
  private readonly newScope: Statement;
  private readonly stats: Statement;
  private readonly window: Statement;
  private readonly deletePosting: Statement;
  private readonly insertPosting: Statement;
  private readonly bumpDf: Statement;
  private readonly dropDf: Statement;
  private readonly updateRow: Statement;
  private readonly bumpScope: Statement;

  constructor(private readonly db: Database) {
    this.scopeOf = db.prepare('SELECT id FROM memory_scopes WHERE tenant = ? AND namespace = ?');
    this.newScope = db.prepare(
      'INSERT INTO memory_scopes (tenant, namespace) VALUES (?, ?) RETURNING id',
    );
    this.stats = db.prepare(
      'SELECT docs, total_length AS totalLength FROM memory_scopes WHERE id = ?',
    );
    this.window = db.prepare(
      `SELECT ${ROW} FROM memories
       WHERE tenant = @tenant AND namespace = @namespace AND created_at BETWEEN @from AND @to
       UNION ALL SELECT * FROM (SELECT ${ROW} FROM memories
         WHERE tenant = @tenant AND namespace = @namespace AND created_at < @from AND conversation
         ORDER BY created_at DESC, seq DESC LIMIT ${WINDOW_EXTRA})
       UNION ALL SELECT * FROM (SELECT ${ROW} FROM memories
         WHERE tenant = @tenant AND namespace = @namespace AND created_at > @to AND conversation
         ORDER BY created_at, seq LIMIT ${WINDOW_EXTRA})`,
    );
    this.deletePosting = db.prepare(
      'DELETE FROM memory_postings WHERE scope = ? AND term = ? AND seq = ?',
    );
    this.insertPosting = db.prepare(
      'INSERT INTO memory_postings (scope, term, seq, tf, dl) VALUES (?, ?, ?, ?, ?)',
    );
    this.bumpDf = db.prepare(
      `INSERT INTO memory_terms (scope, term, df) VALUES (?, ?, ?)
       ON CONFLICT (scope, term) DO UPDATE SET df = df + excluded.df`,
    );
    this.dropDf = db.prepare('DELETE FROM memory_terms WHERE scope = ? AND term = ? AND df <= 0');
    this.updateRow = db.prepare('UPDATE memories SET terms = ?, dl = ? WHERE seq = ?');
    this.bumpScope = db.prepare(
      'UPDATE memory_scopes SET docs = docs + ?, total_length = total_length + ? WHERE id = ?',
    );
  }

  /** After rows were inserted (inside the write's transaction). */
  indexInserted(
    tenant: string,
    namespace: string,
    inserted: ReadonlyArray<{ seq: number; createdAt: number }>,
  ): void {
    if (inserted.length === 0) {
      return;
    }
    const scope = this.scope(tenant, namespace, true)!;
    const times = inserted.map((row) => row.createdAt);
    const window = this.rowsAround(tenant, namespace, Math.min(...times), Math.max(...times));
    const affected = rowsNear(window, new Set(inserted.map((row) => row.seq)));
    this.apply(scope, planIndexChanges(window, affected));
  }

  /**
   * Indexes the rows that are not yet (imported, or stored before the index existed), a
   * namespace at a time; returns how many. Once, when the store opens.
   */
  indexPending(): number {
    const pending = this.db
      .prepare('SELECT DISTINCT tenant, namespace FROM memories WHERE terms IS NULL')
      .all() as Array<{ tenant: string; namespace: string }>;
    let count = 0;
    for (const { tenant, namespace } of pending) {
      this.db
        .transaction(() => {
          const rows = this.rowsAround(tenant, namespace, -8.64e15, 8.64e15);
          const fresh = new Set(rows.filter((row) => row.terms === null).map((row) => row.seq));
          count += fresh.size;
          const scope = this.scope(tenant, namespace, true)!;
          this.apply(scope, planIndexChanges(rows, rowsNear(rows, fresh)));
        })
        .immediate();
    }
    return count;
  }

  /** Deletes one row and re-indexes its neighbours (inside the caller's transaction). */
  deleteRow(tenant: string, namespace: string, seq: number, createdAt: number): void {
    const window = this.rowsAround(tenant, namespace, createdAt, createdAt);
    const removed = window.filter((row) => row.seq === seq);
    const affected = rowsNear(window, new Set([seq]));
    affected.delete(seq);
    this.db.prepare('DELETE FROM memories WHERE seq = ?').run(seq);
    const scope = this.scope(tenant, namespace, false);
    if (scope !== undefined) {
      const rest = window.filter((row) => row.seq !== seq);
      this.apply(scope, planIndexChanges(rest, affected, removed));
    }
  }

  /** Everything of the namespace's index (the caller deletes its memories). */
  erase(tenant: string, namespace: string): void {
    const scope = this.scope(tenant, namespace, false);
    if (scope !== undefined) {
      this.db.prepare('DELETE FROM memory_postings WHERE scope = ?').run(scope);
      this.db.prepare('DELETE FROM memory_terms WHERE scope = ?').run(scope);
      this.db.prepare('DELETE FROM memory_scopes WHERE id = ?').run(scope);
    }
  }

  /** The namespace's statistics (tests and benchmarks). */
  scopeStats(tenant: string, namespace: string): ScopeStats & { terms: number } {
    const scope = this.scope(tenant, namespace, false);
    if (scope === undefined) {
      return { docs: 0, totalLength: 0, terms: 0 };
    }
    const { count } = this.db
      .prepare('SELECT count(*) AS count FROM memory_terms WHERE scope = ?')
      .get(scope) as { count: number };
    return { ...(this.stats.get(scope) as ScopeStats), terms: count };
  }

  private scope(tenant: string, namespace: string, create: boolean): number | undefined {
    const found = this.scopeOf.get(tenant, namespace) as { id: number } | undefined;
    if (found !== undefined || !create) {
      return found?.id;
    }
    return (this.newScope.get(tenant, namespace) as { id: number }).id;
  }

  private rowsAround(tenant: string, namespace: string, from: number, to: number): IndexedRow[] {
    return (
      this.window.all({ tenant, namespace, from, to }) as Array<
        Omit<IndexedRow, 'conversation'> & { conversation: number }
      >
    )
      .map((row) => ({ ...row, conversation: row.conversation === 1 }))
      .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  }

  private apply(scope: number, plan: IndexPlan): void {
    for (const { term, seq } of plan.deletePostings) {
      this.deletePosting.run(scope, term, seq);
    }
    for (const posting of plan.insertPostings) {
      this.insertPosting.run(scope, posting.term, posting.seq, posting.tf, posting.dl);
    }
    for (const [term, delta] of plan.df) {
      this.bumpDf.run(scope, term, delta);
      if (delta < 0) {
        this.dropDf.run(scope, term);
      }
    }
    for (const row of plan.rows) {
      this.updateRow.run(row.terms, row.dl, row.seq);
    }
    this.bumpScope.run(plan.docs, plan.totalLength, scope);
  }
}
