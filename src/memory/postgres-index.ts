import { ScopeStats } from './bm25/bm25';
import {
  IndexedRow,
  IndexPlan,
  NEIGHBOUR_REACH,
  planIndexChanges,
  rowsNear,
} from './bm25/conversation-index';
import { SqlClient, SqlQueryable } from './sql-client';

// Rows read beyond a change on each side: the re-indexed rows and their own neighbours.
const WINDOW_EXTRA = 2 * NEIGHBOUR_REACH;
const ROW = 'seq, created_at, conversation, role, content, context, terms, dl';

interface WindowRow {
  seq: string;
  created_at: Date;
  conversation: boolean;
  role: string;
  content: string;
  context: string | null;
  terms: string | null;
  dl: number;
}

/**
 * The Postgres store's BM25 index, the same tables and entries as the embedded store's (see
 * bm25/conversation-index): per namespace (scope) statistics, document frequencies and
 * postings. Writers of one namespace take its advisory lock, so the window a write re-indexes
 * cannot change under it; every method runs inside the caller's transaction.
 */
export const PostgresIndex = {
  /** Serialises the namespace's writers until the transaction ends; returns its scope id. */
  async lockScope(tx: SqlQueryable, tenant: string, namespace: string): Promise<number> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [tenant, namespace]);
    const { rows } = await tx.query<{ id: string }>(
      'SELECT id FROM memory_scopes WHERE tenant = $1 AND namespace = $2',
      [tenant, namespace],
    );
    if (rows.length > 0) {
      return Number(rows[0].id);
    }
    const created = await tx.query<{ id: string }>(
      'INSERT INTO memory_scopes (tenant, namespace) VALUES ($1, $2) RETURNING id',
      [tenant, namespace],
    );
    return Number(created.rows[0].id);
  },

  /** After rows were inserted, under lockScope. */
  async indexInserted(
    tx: SqlQueryable,
    scope: number,
    tenant: string,
    namespace: string,
    inserted: ReadonlyArray<{ seq: number; createdAt: number }>,
  ): Promise<void> {
    if (inserted.length === 0) {
      return;
    }
    const times = inserted.map((row) => row.createdAt);
    const window = await rowsAround(tx, tenant, namespace, Math.min(...times), Math.max(...times));
    const affected = rowsNear(window, new Set(inserted.map((row) => row.seq)));
    await apply(tx, scope, planIndexChanges(window, affected));
  },

  /**
   * Indexes the rows that are not yet (stored before the index existed), a namespace at a
   * time; returns how many. Once, when the store opens.
   */
  async indexPending(sql: SqlClient): Promise<number> {
    const { rows: pending } = await sql.query<{ tenant: string; namespace: string }>(
      'SELECT DISTINCT tenant, namespace FROM memories WHERE terms IS NULL',
    );
    let count = 0;
    for (const { tenant, namespace } of pending) {
      count += await sql.transaction(async (tx) => {
        const scope = await PostgresIndex.lockScope(tx, tenant, namespace);
        const rows = await rowsAround(tx, tenant, namespace, -8.64e15, 8.64e15);
        const fresh = new Set(rows.filter((row) => row.terms === null).map((row) => row.seq));
        await apply(tx, scope, planIndexChanges(rows, rowsNear(rows, fresh)));
        return fresh.size;
      });
    }
    return count;
  },

  /** Deletes one row and re-indexes its neighbours, under lockScope. */
  async deleteRow(
    tx: SqlQueryable,
    scope: number,
    tenant: string,
    namespace: string,
    seq: number,
    createdAt: number,
  ): Promise<void> {
    const window = await rowsAround(tx, tenant, namespace, createdAt, createdAt);
    const removed = window.filter((row) => row.seq === seq);
    const affected = rowsNear(window, new Set([seq]));
    affected.delete(seq);
    await tx.query('DELETE FROM memories WHERE seq = $1', [seq]);
    const rest = window.filter((row) => row.seq !== seq);
    await apply(tx, scope, planIndexChanges(rest, affected, removed));
  },

  /** Everything of the namespace's index, under lockScope. */
  async erase(tx: SqlQueryable, scope: number): Promise<void> {
    await tx.query('DELETE FROM memory_postings WHERE scope = $1', [scope]);
    await tx.query('DELETE FROM memory_terms WHERE scope = $1', [scope]);
    await tx.query('DELETE FROM memory_scopes WHERE id = $1', [scope]);
  },

  /** The namespace's statistics (tests and benchmarks). */
  async scopeStats(
    sql: SqlQueryable,
    tenant: string,
    namespace: string,
  ): Promise<ScopeStats & { terms: number }> {
    const { rows } = await sql.query<{ docs: string; total_length: number; terms: number }>(
      `SELECT s.docs, s.total_length,
         (SELECT count(*)::int FROM memory_terms t WHERE t.scope = s.id) AS terms
       FROM memory_scopes s WHERE s.tenant = $1 AND s.namespace = $2`,
      [tenant, namespace],
    );
    return rows.length === 0
      ? { docs: 0, totalLength: 0, terms: 0 }
      : { docs: Number(rows[0].docs), totalLength: rows[0].total_length, terms: rows[0].terms };
  },
};

async function rowsAround(
  tx: SqlQueryable,
  tenant: string,
  namespace: string,
  from: number,
  to: number,
): Promise<IndexedRow[]> {
  const { rows } = await tx.query<WindowRow>(
    `SELECT ${ROW} FROM memories
     WHERE tenant = $1 AND namespace = $2 AND created_at BETWEEN $3 AND $4
     UNION ALL (SELECT ${ROW} FROM memories
       WHERE tenant = $1 AND namespace = $2 AND created_at < $3 AND conversation
       ORDER BY created_at DESC, seq DESC LIMIT ${WINDOW_EXTRA})
     UNION ALL (SELECT ${ROW} FROM memories
       WHERE tenant = $1 AND namespace = $2 AND created_at > $4 AND conversation
       ORDER BY created_at, seq LIMIT ${WINDOW_EXTRA})`,
    [tenant, namespace, new Date(from).toISOString(), new Date(to).toISOString()],
  );
  return rows
    .map((row) => ({
      seq: Number(row.seq),
      createdAt: new Date(row.created_at).getTime(),
      conversation: row.conversation,
      role: row.role,
      content: row.content,
      context: row.context,
      terms: row.terms,
      dl: row.dl,
    }))
    .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
}

async function apply(tx: SqlQueryable, scope: number, plan: IndexPlan): Promise<void> {
  if (plan.deletePostings.length > 0) {
    await tx.query(
      `DELETE FROM memory_postings p USING unnest($2::text[], $3::bigint[]) AS d(term, seq)
       WHERE p.scope = $1 AND p.term = d.term AND p.seq = d.seq`,
      [scope, plan.deletePostings.map((p) => p.term), plan.deletePostings.map((p) => p.seq)],
    );
  }
  if (plan.insertPostings.length > 0) {
    const postings = plan.insertPostings;
    await tx.query(
      `INSERT INTO memory_postings (scope, term, seq, tf, dl)
       SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::float8[], $5::float8[])`,
      [
        scope,
        postings.map((p) => p.term),
        postings.map((p) => p.seq),
        postings.map((p) => p.tf),
        postings.map((p) => p.dl),
      ],
    );
  }
  if (plan.df.size > 0) {
    const terms = [...plan.df.keys()];
    await tx.query(
      `INSERT INTO memory_terms (scope, term, df) SELECT $1, * FROM unnest($2::text[], $3::int[])
       ON CONFLICT (scope, term) DO UPDATE SET df = memory_terms.df + excluded.df`,
      [scope, terms, terms.map((term) => plan.df.get(term))],
    );
    const fewer = terms.filter((term) => plan.df.get(term)! < 0);
    if (fewer.length > 0) {
      await tx.query(
        'DELETE FROM memory_terms WHERE scope = $1 AND term = ANY($2::text[]) AND df <= 0',
        [scope, fewer],
      );
    }
  }
  if (plan.rows.length > 0) {
    await tx.query(
      `UPDATE memories m SET terms = u.terms, dl = u.dl
       FROM unnest($1::bigint[], $2::text[], $3::float8[]) AS u(seq, terms, dl)
       WHERE m.seq = u.seq`,
      [plan.rows.map((r) => r.seq), plan.rows.map((r) => r.terms), plan.rows.map((r) => r.dl)],
    );
  }
  await tx.query(
    'UPDATE memory_scopes SET docs = docs + $2, total_length = total_length + $3 WHERE id = $1',
    [scope, plan.docs, plan.totalLength],
  );
}
