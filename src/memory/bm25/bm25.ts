/**
 * BM25's term-frequency saturation and length normalisation, tuned on bench/memory's eval and
 * checked on data sets of other seeds (see the note of issue 12). A memory's length counts its
 * neighbouring turns (at their weight) and the query carries WordNet and feedback terms, so
 * long entries match more of it by nature: normalising length less (b 0.4, not the usual 0.75)
 * ranks them fairly; k1 1.0 saturates repeats sooner (entries repeat their conversation's words).
 */
export const BM25_K1 = 1.0;
export const BM25_B = 0.4;
/**
 * Among a query's best BM25 matches (RECENCY_DEPTH times the results asked), the newest scores
 * up to this much more (the oldest nothing, linear in between by seq order): when a fact
 * changed, the later statement of it wins over the earlier among near-equal matches
 * (bench/memory eval, "update" questions).
 */
export const RECENCY_BOOST = 0.1;
export const RECENCY_DEPTH = 2;
/**
 * Postings read to generate candidates, by default: the query's rarest terms are read in full
 * while they fit, and the commoner ones only score those candidates, from their forward entries
 * (bm25/search-flow; the MaxScore idea). What it
 * can miss: a memory that holds none of the selective terms, only common ones. 0: read all.
 */
export const DEFAULT_CANDIDATE_POSTINGS = 1000;

/** A namespace's statistics: memories indexed and the sum of their lengths. */
export interface ScopeStats {
  docs: number;
  totalLength: number;
}

/**
 * How to read a query's postings: `essential` terms in full (generating the candidates), the
 * rest only for the candidates. When even the rarest term has more than the budget, only its
 * `cap` most recent postings are read.
 */
export interface CandidatePlan {
  essential: string[];
  scoreOnly: string[];
  cap?: number;
}

export function planCandidates(
  df: ReadonlyMap<string, number>,
  budget: number = DEFAULT_CANDIDATE_POSTINGS,
): CandidatePlan {
  const terms = [...df.keys()].sort((a, b) => df.get(a)! - df.get(b)! || (a < b ? -1 : 1));
  const limit = budget > 0 ? budget : Infinity;
  const plan: CandidatePlan = { essential: [], scoreOnly: [] };
  let read = 0;
  for (const term of terms) {
    const postings = df.get(term)!;
    if (plan.essential.length === 0 || read + postings <= limit) {
      plan.essential.push(term);
      read += postings;
    } else {
      plan.scoreOnly.push(term);
    }
  }
  if (read > limit) {
    plan.cap = limit;
  }
  return plan;
}

export function idf(df: number, docs: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

/**
 * `ranked` (best first) with its first `depth` matches re-ranked by BM25 times the recency
 * boost. Only those: the candidate pruning is exact for them (search with k = depth), so both
 * stores and both modes still agree; the rest stay below, as the boost only raises scores.
 */
/** A memory's rank by score. */
export interface Hit {
  seq: number;
  score: number;
}

/**
 * Best score first; equal scores newest (highest seq) first. It answers -1, 0 or 1: the difference
 * of two scores is a float, which the sort gets as a new heap number at every comparison (a
 * search's sorts made a tenth of its garbage that way).
 */
export function byScore(a: Hit, b: Hit): number {
  if (b.score > a.score) {
    return 1;
  }
  if (b.score < a.score) {
    return -1;
  }
  return b.seq > a.seq ? 1 : b.seq < a.seq ? -1 : 0;
}

export function boostRecent(ranked: readonly Hit[], depth: number): Hit[] {
  const head = ranked.slice(0, depth);
  const bySeq = head.map((hit) => hit.seq).sort((a, b) => a - b);
  const newness = new Map(
    bySeq.map((seq, index) => [seq, bySeq.length > 1 ? index / (bySeq.length - 1) : 1]),
  );
  const boosted = head
    .map(({ seq, score }) => {
      const raw = (score / (1 - score)) * (1 + RECENCY_BOOST * newness.get(seq)!);
      return { seq, score: raw / (raw + 1) };
    })
    .sort(byScore);
  return [...boosted, ...ranked.slice(depth)];
}
