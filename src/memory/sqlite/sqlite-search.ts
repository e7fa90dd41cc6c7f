import type { Database, Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';

import { planCandidates, ScopeStats } from '../bm25/bm25';
import { ForwardEntry } from '../bm25/forward-entries';
import {
  CandidateRead,
  FeedbackRead,
  SearchIndex,
  termsWithin,
  VectorQuery,
} from '../bm25/search-flow';
import { run } from './sqlite-rows';
import { rankBySimilarity, VECTOR_WINDOW } from './sqlite-vectors';

/**
 * The token naming a tenant's namespace on each row (the `scope` column, kept from the FTS5
 * index of 0001). A hash, so names of any shape make one plain token.
 */
export function scopeToken(tenant: string, namespace: string): string {
  return `s${createHash('sha256').update(`${tenant}\u0000${namespace}`).digest('hex').slice(0, 24)}`;
}

/**
 * The search flow's reads (bm25/search-flow) on the embedded store's index tables, statements
 * prepared once.
 */
export class SqliteSearchIndex implements SearchIndex {
  private readonly scopeStats: Statement;
  private readonly dfOf: Statement;
  private readonly entriesHolding: Statement;
  private readonly entriesOfRecent: Statement;
  private readonly contentsOf: Statement;
  private readonly vectors: Statement;

  constructor(db: Database) {
    this.scopeStats = db.prepare(
      `SELECT id, docs, total_length AS totalLength FROM memory_scopes
       WHERE tenant = ? AND namespace = ?`,
    );
    this.dfOf = db.prepare(
      'SELECT term, df FROM memory_terms WHERE scope = ? AND term IN (SELECT value FROM json_each(?))',
    );
    this.entriesHolding = db.prepare(
      `SELECT seq, terms, dl FROM memories WHERE seq IN (
         SELECT seq FROM memory_postings
         WHERE scope = ? AND term IN (SELECT value FROM json_each(?)))`,
    );
    this.entriesOfRecent = db.prepare(
      `SELECT seq, terms, dl FROM memories WHERE seq IN (
         SELECT seq FROM memory_postings WHERE scope = ? AND term = ?
         ORDER BY seq DESC LIMIT ?)`,
    );
    // Unary + keeps the tenant check a filter: as an index key it scanned all the tenant's rows.
    this.contentsOf = db.prepare(
      `SELECT seq, content FROM memories
       WHERE seq IN (SELECT value FROM json_each(?)) AND +tenant = ?`,
    );
    this.vectors = db.prepare(
      `SELECT seq, embedding FROM memories
       WHERE tenant = ? AND namespace = ? AND embedding IS NOT NULL
       ORDER BY created_at DESC, seq DESC LIMIT ${VECTOR_WINDOW}`,
    );
  }

  candidates(tenant: string, namespace: string, terms: readonly string[], budget: number) {
    return run((): CandidateRead | undefined => {
      const scope = this.scopeStats.get(tenant, namespace) as
        (ScopeStats & { id: number }) | undefined;
      if (scope === undefined) {
        return undefined;
      }
      const { id, ...stats } = scope;
      const df = this.df(id, terms);
      const plan = planCandidates(df, budget);
      const rows = (
        plan.cap === undefined
          ? this.entriesHolding.all(id, JSON.stringify(plan.essential))
          : this.entriesOfRecent.all(id, plan.essential[0], plan.cap)
      ) as EntryRow[];
      return { stats: { scope: id, stats, df }, entries: rows.filter(isIndexed) };
    });
  }

  feedback(scope: number, terms: readonly string[], limit?: number) {
    return run((): FeedbackRead => {
      const df = this.df(scope, terms);
      const adding = limit === undefined ? [...df.keys()] : termsWithin(df, limit);
      const rows =
        adding.length === 0
          ? []
          : (this.entriesHolding.all(scope, JSON.stringify(adding)) as EntryRow[]);
      return { df, entries: rows.filter(isIndexed) };
    });
  }

  contents(tenant: string, seqs: readonly number[]) {
    return run(() => {
      const rows = this.contentsOf.all(JSON.stringify(seqs), tenant) as Array<{
        seq: number;
        content: string;
      }>;
      return new Map(rows.map((row) => [row.seq, row.content]));
    });
  }

  vectorHits(tenant: string, namespace: string, { embedding, minSimilarity, limit }: VectorQuery) {
    return run(() => {
      const recent = this.vectors.all(tenant, namespace) as Array<{
        seq: number;
        embedding: Buffer;
      }>;
      return rankBySimilarity(recent, embedding, minSimilarity).slice(0, limit);
    });
  }

  private df(scope: number, terms: readonly string[]): Map<string, number> {
    const rows = this.dfOf.all(scope, JSON.stringify(terms)) as Array<{ term: string; df: number }>;
    return new Map(rows.map((row) => [row.term, row.df]));
  }
}

interface EntryRow {
  seq: number;
  terms: string | null;
  dl: number;
}

function isIndexed(row: EntryRow): row is ForwardEntry {
  return row.terms !== null;
}
