/** The Postgres store's search SQL: the columns of a memory, the vector side of hybrid. */
export const MEMORY_COLUMNS =
  'id, seq, namespace, role, content, model, request_id, metadata, created_at';

/** Recent memories scored by vector similarity in a hybrid search. */
export const VECTOR_WINDOW = 5000;

/**
 * Vector hits of a hybrid search: seqs by cosine similarity over the namespace's VECTOR_WINDOW
 * most recent memories (real[] has no index; a bounded window keeps the cost flat however
 * large a namespace grows). Parameters: $1 tenant, $2 namespace, $3 the query vector (a real[]
 * literal), $4 least similarity, $5 limit.
 */
export const VECTOR_HITS = `
  WITH recent AS (
    SELECT seq, embedding FROM memories
    WHERE tenant = $1 AND namespace = $2 AND embedding IS NOT NULL
    ORDER BY created_at DESC, seq DESC LIMIT ${VECTOR_WINDOW}
  ),
  similarities AS (
    SELECT seq, (SELECT sum(a * b) FROM unnest(embedding, $3::real[]) AS pair(a, b)) AS sim
    FROM recent
  )
  SELECT seq FROM similarities WHERE sim >= $4 ORDER BY sim DESC, seq DESC LIMIT $5`;

/** Postgres array text: drivers disagree on how they send JS arrays, but all send strings. */
export function vectorLiteral(vector: number[]): string {
  return `{${vector.map((value) => (Number.isFinite(value) ? value : 0)).join(',')}}`;
}
