import { Posting } from './bm25/conversation-index';
import { ForwardEntry } from './bm25/forward-entries';
import { SearchIndex, TermStats, VectorQuery } from './bm25/search-flow';
import { VECTOR_HITS, vectorLiteral } from './memory-search.sql';
import { SqlQueryable } from './sql-client';

// Named statements: node-postgres prepares each once per connection, so a search's statements
// are not planned again on every query.
const TERM_STATS = {
  name: 'memory_search_term_stats',
  text: `SELECT s.id, s.docs, s.total_length, t.term, t.df
         FROM memory_scopes s
         LEFT JOIN memory_terms t ON t.scope = s.id AND t.term = ANY($3::text[])
         WHERE s.tenant = $1 AND s.namespace = $2`,
};
const DOCUMENT_FREQUENCIES = {
  name: 'memory_search_df',
  text: 'SELECT term, df FROM memory_terms WHERE scope = $1 AND term = ANY($2::text[])',
};
const POSTINGS = {
  name: 'memory_search_postings',
  text: `SELECT term, seq, tf, dl FROM memory_postings
         WHERE scope = $1 AND term = ANY($2::text[])`,
};
const RECENT_POSTINGS = {
  name: 'memory_search_recent_postings',
  text: `SELECT term, seq, tf, dl FROM memory_postings WHERE scope = $1 AND term = $2
         ORDER BY seq DESC LIMIT $3`,
};
// ARRAY() keeps the seqs a probe list of the seq index, never a join the planner might hash.
const ENTRIES = {
  name: 'memory_search_entries',
  text: `SELECT seq, terms, dl FROM memories WHERE seq = ANY(ARRAY(
           SELECT unnest($2::bigint[])
           UNION SELECT seq FROM memory_postings WHERE scope = $1 AND term = ANY($3::text[])))`,
};
const CONTENTS = {
  name: 'memory_search_contents',
  text: 'SELECT seq, content FROM memories WHERE seq = ANY($1::bigint[]) AND tenant = $2',
};
const VECTORS = { name: 'memory_search_vectors', text: VECTOR_HITS };

/** The search flow's reads (bm25/search-flow) on the Postgres store's index tables. */
export class PostgresSearchIndex implements SearchIndex {
  constructor(private readonly sql: SqlQueryable) {}

  async termStats(
    tenant: string,
    namespace: string,
    terms: readonly string[],
  ): Promise<TermStats | undefined> {
    const { rows } = await this.sql.query<{
      id: string;
      docs: string;
      total_length: number;
      term: string | null;
      df: number | null;
    }>(TERM_STATS.text, [tenant, namespace, terms], TERM_STATS.name);
    if (rows.length === 0) {
      return undefined;
    }
    const df = new Map<string, number>();
    for (const row of rows) {
      if (row.term !== null && row.df !== null) {
        df.set(row.term, row.df);
      }
    }
    return {
      scope: Number(rows[0].id),
      stats: { docs: Number(rows[0].docs), totalLength: rows[0].total_length },
      df,
    };
  }

  async documentFrequencies(scope: number, terms: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.sql.query<{ term: string; df: number }>(
      DOCUMENT_FREQUENCIES.text,
      [scope, terms],
      DOCUMENT_FREQUENCIES.name,
    );
    return new Map(rows.map((row) => [row.term, row.df]));
  }

  async postings(scope: number, essential: readonly string[], cap?: number): Promise<Posting[]> {
    const { rows } = await (cap === undefined
      ? this.sql.query<PostingRow>(POSTINGS.text, [scope, essential], POSTINGS.name)
      : this.sql.query<PostingRow>(
          RECENT_POSTINGS.text,
          [scope, essential[0], cap],
          RECENT_POSTINGS.name,
        ));
    return rows.map((row) => ({ term: row.term, seq: Number(row.seq), tf: row.tf, dl: row.dl }));
  }

  async entries(
    scope: number,
    seqs: readonly number[],
    terms: readonly string[],
  ): Promise<ForwardEntry[]> {
    const { rows } = await this.sql.query<EntryRow>(
      ENTRIES.text,
      [scope, seqs, terms],
      ENTRIES.name,
    );
    return rows
      .filter((row) => row.terms !== null)
      .map((row) => ({ seq: Number(row.seq), terms: row.terms!, dl: row.dl }));
  }

  async contents(tenant: string, seqs: readonly number[]): Promise<Map<number, string>> {
    const { rows } = await this.sql.query<{ seq: string; content: string }>(
      CONTENTS.text,
      [seqs, tenant],
      CONTENTS.name,
    );
    return new Map(rows.map((row) => [Number(row.seq), row.content]));
  }

  async vectorHits(
    tenant: string,
    namespace: string,
    { embedding, minSimilarity, limit }: VectorQuery,
  ): Promise<number[]> {
    const { rows } = await this.sql.query<{ seq: string }>(
      VECTORS.text,
      [tenant, namespace, vectorLiteral(embedding), minSimilarity, limit],
      VECTORS.name,
    );
    return rows.map((row) => Number(row.seq));
  }
}

interface PostingRow {
  term: string;
  seq: string;
  tf: number;
  dl: number;
}

interface EntryRow {
  seq: string;
  terms: string | null;
  dl: number;
}
