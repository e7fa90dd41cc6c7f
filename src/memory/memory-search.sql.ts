/**
 * The relevance search's SQL, one text for both stores. Parameters: $1 tenant, $2 namespace,
 * $3 query text, $4 least text score, $5 limit; hybrid adds $6 the query vector (a real[]
 * literal) and $7 the least cosine similarity. Both return MEMORY_COLUMNS and `score`.
 */
export const MEMORY_COLUMNS =
  'id, seq, namespace, role, content, model, request_id, metadata, created_at';

/** Recent memories scored by vector similarity in a hybrid search. */
export const VECTOR_WINDOW = 5000;

// The query's own lexemes (stemmed, stop words dropped), quoted and OR-ed: quoting keeps
// characters of the text from being read as tsquery operators.
const ANY_WORD_QUERY = `q AS (
  SELECT to_tsquery('simple', coalesce(string_agg(quote_literal(lexeme), ' | '), '')) AS q
  FROM unnest(tsvector_to_array(to_tsvector('english', $3))) AS lexeme
)`;

// Every match with its rank. Normalisation 32 maps the rank to rank/(rank+1), so scores and
// the threshold live in [0, 1). OFFSET 0 fences the subquery so each match is ranked once, not
// again by the filter: ranking dominates the cost when common words match a large share of a
// big namespace.
const rankedMatches = (columns: string) => `
  SELECT ${columns}, ts_rank_cd(search, q.q, 32) AS score
  FROM memories, q
  WHERE tenant = $1 AND namespace = $2 AND search @@ q.q
  OFFSET 0`;

export const TEXT_SEARCH = `
  WITH ${ANY_WORD_QUERY}
  SELECT * FROM (${rankedMatches(MEMORY_COLUMNS)}) AS ranked
  WHERE score >= $4
  ORDER BY score DESC, created_at DESC, seq DESC
  LIMIT $5`;

/**
 * Text rank and cosine similarity fused by reciprocal rank (RRF, k = 60): a memory found by
 * both lists beats one found by either, without having to calibrate one score against the
 * other. Vectors are scored over the namespace's VECTOR_WINDOW most recent memories: real[]
 * has no index, and a bounded window keeps the cost flat however large a namespace grows.
 * The score is the fused value scaled to [0, 1] (1: first in both lists).
 */
export const HYBRID_SEARCH = `
  WITH ${ANY_WORD_QUERY},
  text_ranked AS (${rankedMatches('id, created_at, seq')}),
  text_hits AS (
    SELECT id, row_number() OVER (ORDER BY score DESC, created_at DESC, seq DESC) AS r
    FROM text_ranked WHERE score >= $4
    ORDER BY r LIMIT $5
  ),
  recent AS (
    SELECT id, embedding FROM memories
    WHERE tenant = $1 AND namespace = $2 AND embedding IS NOT NULL
    ORDER BY created_at DESC, seq DESC LIMIT ${VECTOR_WINDOW}
  ),
  similarities AS (
    SELECT id, (SELECT sum(a * b) FROM unnest(embedding, $6::real[]) AS pair(a, b)) AS sim
    FROM recent
  ),
  vector_hits AS (
    SELECT id, row_number() OVER (ORDER BY sim DESC) AS r
    FROM similarities WHERE sim >= $7 ORDER BY r LIMIT $5
  ),
  fused AS (
    SELECT id, sum(1.0 / (60 + r)) * 61 / 2 AS score
    FROM (SELECT id, r FROM text_hits UNION ALL SELECT id, r FROM vector_hits) AS hits
    GROUP BY id
  )
  SELECT ${MEMORY_COLUMNS.split(', ')
    .map((column) => `m.${column}`)
    .join(', ')}, fused.score::float8 AS score
  FROM fused JOIN memories m ON m.id = fused.id
  ORDER BY fused.score DESC, m.created_at DESC, m.seq DESC
  LIMIT $5`;

/** Postgres array text: drivers disagree on how they send JS arrays, but all send strings. */
export function vectorLiteral(vector: number[]): string {
  return `{${vector.map((value) => (Number.isFinite(value) ? value : 0)).join(',')}}`;
}
