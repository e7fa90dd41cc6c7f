import { Posting } from './conversation-index';

/** BM25's term-frequency saturation and length normalisation, tuned on bench/memory's eval. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/**
 * Postings read to generate candidates, by default: the query's rarest terms are read in full
 * while they fit, and the commoner ones only score those candidates (the MaxScore idea). What it
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

/**
 * The candidates that can still reach the top `k` once the score-only terms are added (the
 * MaxScore bound): a candidate's score from the essential terms is a lower bound of its final
 * score, and each score-only term adds at most idf × (k1 + 1). Candidates below the k-th best
 * lower bound minus that most are dropped before the score-only terms' postings are read: no
 * loss, fewer look-ups.
 */
export function candidatesToScore(
  essential: readonly Posting[],
  plan: CandidatePlan,
  df: ReadonlyMap<string, number>,
  stats: ScopeStats,
  k: number,
): number[] {
  const partial = rankByBm25(essential, plan.essential, df, stats);
  if (partial.length <= k) {
    return partial.map((hit) => hit.seq);
  }
  const raw = (score: number) => score / (1 - score);
  const threshold = raw(partial[k - 1].score);
  const most = plan.scoreOnly.reduce(
    (sum, term) => sum + idf(df.get(term) ?? 0, stats.docs) * (BM25_K1 + 1),
    0,
  );
  return partial.filter((hit) => raw(hit.score) + most >= threshold).map((hit) => hit.seq);
}

export function idf(df: number, docs: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

/**
 * Okapi BM25 of each candidate memory over the query's terms (`order`: the sum runs in this
 * order whatever order the store returned the postings in, so both stores give the same
 * floats). Best first, ties by newer seq; scores mapped to (0, 1) as s / (s + 1).
 */
export function rankByBm25(
  postings: readonly Posting[],
  order: readonly string[],
  df: ReadonlyMap<string, number>,
  stats: ScopeStats,
): Array<{ seq: number; score: number }> {
  const position = new Map(order.map((term, index) => [term, index]));
  const weights = order.map((term) => idf(df.get(term) ?? 0, stats.docs));
  const averageLength =
    stats.docs > 0 && stats.totalLength > 0 ? stats.totalLength / stats.docs : 1;
  const parts = new Map<number, number[]>();
  for (const posting of postings) {
    const at = position.get(posting.term);
    if (at === undefined) {
      continue;
    }
    let terms = parts.get(posting.seq);
    if (terms === undefined) {
      terms = new Array<number>(order.length).fill(0);
      parts.set(posting.seq, terms);
    }
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * posting.dl) / averageLength);
    terms[at] = (weights[at] * posting.tf * (BM25_K1 + 1)) / (posting.tf + norm);
  }
  return [...parts]
    .map(([seq, terms]) => {
      const raw = terms.reduce((sum, value) => sum + value, 0);
      return { seq, score: raw / (raw + 1) };
    })
    .sort((a, b) => b.score - a.score || b.seq - a.seq);
}
