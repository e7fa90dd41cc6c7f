import { ForwardEntry } from './bm25/forward-entries';
import { CandidateRead, FeedbackRead, SearchIndex, VectorQuery } from './bm25/search-flow';
import { MEMORY_COLUMNS, VECTOR_HITS, vectorLiteral } from './memory-search.sql';
import { MemoryRow } from './postgres-rows';
import { SqlQueryable } from './sql-client';

// Named statements: node-postgres prepares each once per connection, so a search's statements
// are not planned again on every query. Each read is one statement (one round trip), its rows
// told apart by `kind`: s the namespace's statistics, d a term's df, e a forward entry, r a
// memory's row.

// A memory row's columns but seq, in a read whose other rows are not memories (NO_ROW).
const ROW_COLUMNS = MEMORY_COLUMNS.split(', ')
  .filter((column) => column !== 'seq')
  .join(', ');
const NO_ROW =
  'NULL::uuid AS id, NULL AS namespace, NULL AS role, NULL AS content, NULL AS model, ' +
  'NULL AS request_id, NULL::jsonb AS metadata, NULL::timestamptz AS created_at';

// CANDIDATES is planCandidates in SQL: the query's terms rarest first (ties in code-unit order,
// as the JS sort has them), the first always, the next while their postings fit in the budget
// ($4; 0 reads all); when the first alone is over it, only its $4 newest postings.
const CANDIDATES = {
  name: 'memory_search_candidates',
  text: `WITH scope AS (
           SELECT id, docs, total_length FROM memory_scopes WHERE tenant = $1 AND namespace = $2
         ), df AS (
           SELECT t.term, t.df, sum(t.df) OVER w AS upto, row_number() OVER w AS rank
           FROM memory_terms t JOIN scope s ON t.scope = s.id
           WHERE t.term = ANY($3::text[])
           WINDOW w AS (ORDER BY t.df, t.term COLLATE "C")
         ), candidates AS (
           SELECT p.seq
           FROM scope s, df e, LATERAL (
             SELECT seq FROM memory_postings
             WHERE scope = s.id AND term = e.term
             ORDER BY seq DESC
             LIMIT CASE WHEN $4::int > 0 AND e.df > $4::int THEN $4::int END) p
           WHERE e.rank = 1 OR $4::int = 0 OR e.upto <= $4::int
         )
         SELECT 's' AS kind, NULL AS term, id AS seq, docs AS n, total_length AS dl,
                NULL AS terms FROM scope
         UNION ALL SELECT 'd', term, NULL, df, NULL, NULL FROM df
         UNION ALL SELECT 'e', NULL, seq, NULL, dl, terms FROM memories
           WHERE seq = ANY(ARRAY(SELECT DISTINCT seq FROM candidates)) AND terms IS NOT NULL`,
};
// termsWithin in SQL: the rarest of the terms while their postings fit in $3 (NULL: all); and
// the rows of the first pass's best matches ($4, r), among which the results mostly are.
const FEEDBACK = {
  name: 'memory_search_feedback',
  text: `WITH df AS (
           SELECT term, df, sum(df) OVER (ORDER BY df, term COLLATE "C") AS upto
           FROM memory_terms WHERE scope = $1 AND term = ANY($2::text[])
         )
         SELECT 'd' AS kind, term, NULL::bigint AS seq, df AS n, NULL::float8 AS dl,
                NULL AS terms, ${NO_ROW} FROM df
         UNION ALL SELECT 'e', NULL, seq, NULL, dl, terms, ${NO_ROW} FROM memories
           WHERE seq = ANY(ARRAY(
             SELECT DISTINCT p.seq FROM df JOIN memory_postings p
               ON p.scope = $1 AND p.term = df.term
             WHERE $3::int IS NULL OR df.upto <= $3::int))
           AND terms IS NOT NULL
         UNION ALL SELECT 'r', NULL, seq, NULL, NULL, NULL, ${ROW_COLUMNS} FROM memories
           WHERE seq = ANY($4::bigint[])
             AND tenant = (SELECT tenant FROM memory_scopes WHERE id = $1)`,
};
// The best matches' whole rows, when the feedback pass needs their text (entries written before
// compact ones): their rows are kept for the results as FEEDBACK's are.
const CONTENTS = {
  name: 'memory_search_contents',
  text: `SELECT ${MEMORY_COLUMNS} FROM memories WHERE seq = ANY($1::bigint[]) AND tenant = $2`,
};
const RESULT_ROWS = {
  name: 'memory_search_rows',
  text: `SELECT ${MEMORY_COLUMNS} FROM memories
         WHERE seq = ANY($1::bigint[]) AND tenant = $2 AND namespace = $3`,
};
const VECTORS = { name: 'memory_search_vectors', text: VECTOR_HITS };

/**
 * The search flow's reads (bm25/search-flow) on the Postgres store's index tables. One made
 * by forSearch keeps the memory rows `feedback` and `contents` read, for that search's
 * resultRows.
 */
export class PostgresSearchIndex implements SearchIndex {
  constructor(
    private readonly sql: SqlQueryable,
    private readonly rows?: Map<number, MemoryRow>,
  ) {}

  forSearch(): PostgresSearchIndex {
    return new PostgresSearchIndex(this.sql, new Map());
  }

  /**
   * The rows of `seqs` in the namespace: those read with the feedback pass's statement taken
   * from it, the others in one statement (none when the results are all among the best first
   * matches).
   */
  async resultRows(
    tenant: string,
    namespace: string,
    seqs: readonly number[],
  ): Promise<Map<number, MemoryRow>> {
    const found = new Map<number, MemoryRow>();
    const missing: number[] = [];
    for (const seq of seqs) {
      const row = this.rows?.get(seq);
      if (row !== undefined && row.namespace === namespace) {
        found.set(seq, row);
      } else {
        missing.push(seq);
      }
    }
    if (missing.length > 0) {
      const { rows } = await this.sql.query<MemoryRow>(
        RESULT_ROWS.text,
        [missing, tenant, namespace],
        RESULT_ROWS.name,
      );
      for (const row of rows) {
        found.set(Number(row.seq), row);
      }
    }
    return found;
  }

  async candidates(
    tenant: string,
    namespace: string,
    terms: readonly string[],
    budget: number,
  ): Promise<CandidateRead | undefined> {
    const { rows } = await this.sql.query<ReadRow>(
      CANDIDATES.text,
      [tenant, namespace, terms, budget],
      CANDIDATES.name,
    );
    const scope = rows.find((row) => row.kind === 's');
    if (scope === undefined) {
      return undefined;
    }
    const read = splitRows(rows);
    return {
      stats: {
        scope: Number(scope.seq),
        stats: { docs: Number(scope.n), totalLength: scope.dl! },
        df: read.df,
      },
      entries: read.entries,
    };
  }

  async feedback(
    scope: number,
    terms: readonly string[],
    limit: number | undefined,
    likely: readonly number[],
  ): Promise<FeedbackRead> {
    const rowsToRead = this.rows === undefined ? [] : likely.filter((seq) => !this.rows!.has(seq));
    const { rows } = await this.sql.query<ReadRow & MemoryRow>(
      FEEDBACK.text,
      [scope, terms, limit ?? null, rowsToRead],
      FEEDBACK.name,
    );
    for (const row of rows) {
      if (row.kind === 'r') {
        this.rows?.set(Number(row.seq), row);
      }
    }
    return splitRows(rows);
  }

  async contents(tenant: string, seqs: readonly number[]): Promise<Map<number, string>> {
    const { rows } = await this.sql.query<MemoryRow>(CONTENTS.text, [seqs, tenant], CONTENTS.name);
    const contents = new Map<number, string>();
    for (const row of rows) {
      this.rows?.set(Number(row.seq), row);
      contents.set(Number(row.seq), row.content);
    }
    return contents;
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

/** A row of CANDIDATES or FEEDBACK (pg gives bigint as a string); `r` rows are memories. */
interface ReadRow {
  kind: 's' | 'd' | 'e' | 'r';
  term: string | null;
  seq: string | null;
  n: string | number | null;
  dl: number | null;
  terms: string | null;
}

function splitRows(rows: readonly ReadRow[]): FeedbackRead {
  const df = new Map<string, number>();
  const entries: ForwardEntry[] = [];
  for (const row of rows) {
    if (row.kind === 'd') {
      df.set(row.term!, Number(row.n));
    } else if (row.kind === 'e') {
      entries.push({ seq: Number(row.seq), terms: row.terms!, dl: row.dl! });
    }
  }
  return { df, entries };
}
