import {
  BM25_K1,
  boostRecent,
  DEFAULT_CANDIDATE_POSTINGS,
  idf,
  planCandidates,
  rankByBm25,
  RECENCY_DEPTH,
  ScopeStats,
} from './bm25';
import { FEEDBACK_DOCS, withFeedback } from './feedback';
import { bm25Scores, byScore, ForwardEntry, Hit, hitsOf } from './forward-entries';
import { Posting } from './conversation-index';
import { WeightedQuery, weightedQueryTerms } from './query-terms';
import { fuseRanks } from '../rank-fusion';

/** A namespace's statistics and some terms' document frequencies; `scope` names its index. */
export interface TermStats {
  scope: number;
  stats: ScopeStats;
  df: Map<string, number>;
}

/** What the search flow needs of a store; both stores implement it over the same tables. */
export interface SearchIndex {
  /** Undefined when the namespace has no index (never written, or erased). */
  termStats(
    tenant: string,
    namespace: string,
    terms: readonly string[],
  ): Promise<TermStats | undefined>;
  documentFrequencies(scope: number, terms: readonly string[]): Promise<Map<string, number>>;
  /** Postings of `essential`'s terms (when `cap` is set, the `cap` newest of `essential[0]`). */
  postings(scope: number, essential: readonly string[], cap?: number): Promise<Posting[]>;
  /** Forward entries of `seqs` and of the memories holding any of `terms`, in one statement. */
  entries(
    scope: number,
    seqs: readonly number[],
    terms: readonly string[],
  ): Promise<ForwardEntry[]>;
  contents(tenant: string, seqs: readonly number[]): Promise<Map<number, string>>;
  /** Vector side of a hybrid search: seqs by similarity, best first. */
  vectorHits(tenant: string, namespace: string, query: VectorQuery): Promise<number[]>;
}

export interface VectorQuery {
  embedding: number[];
  minSimilarity: number;
  limit: number;
}

export interface FlowOptions {
  limit: number;
  /** Postings read to generate candidates (see planCandidates); 0 reads all. */
  budget?: number;
  minScore?: number;
  embedding?: number[];
  minSimilarity?: number;
}

export interface FirstPass {
  stats: TermStats;
  /** Every candidate with its score from the essential terms alone (a lower bound). */
  partial: Hit[];
  /** The most the score-only terms can add to a candidate's raw score. */
  rest: number;
  /** The forward entries read, their raw BM25 (in their order), their exact BM25 ranked. */
  entries: ForwardEntry[];
  scores: Float64Array;
  ranked: Hit[];
  /** Postings the candidates were generated from (of the budget). */
  read: number;
}

/**
 * The query's first pass: candidates from the postings of its selective terms, within the
 * budget (planCandidates); those that can still reach the top `k` once the other terms are
 * added (the MaxScore bound) are scored on ALL the weighted query terms from their forward
 * entries: exact BM25, with no posting of a common term read. `ranked` holds those, so its
 * first `k` are the exact top k among the candidates.
 */
export async function firstPass(
  index: SearchIndex,
  tenant: string,
  namespace: string,
  query: WeightedQuery,
  k: number,
  budget?: number,
): Promise<FirstPass | undefined> {
  if (query.terms.length === 0) {
    return undefined;
  }
  const stats = await index.termStats(tenant, namespace, query.terms);
  if (stats === undefined || stats.df.size === 0) {
    return undefined;
  }
  const plan = planCandidates(stats.df, budget);
  const found = await index.postings(stats.scope, plan.essential, plan.cap);
  const partial = rankByBm25(found, plan.essential, stats.df, stats.stats, query.weights);
  const rest = mostAdded(plan.scoreOnly, query.weights, stats.df, stats.stats);
  const bar = partial.length > k ? raw(partial[k - 1].score) : -Infinity;
  const reach = partial.filter((hit) => raw(hit.score) + rest >= bar).map((hit) => hit.seq);
  const entries = await index.entries(stats.scope, reach, []);
  const scores = bm25Scores(entries, query.terms, query.weights, stats.df, stats.stats);
  const ranked = hitsOf(entries, scores);
  const read = plan.cap ?? plan.essential.reduce((sum, term) => sum + stats.df.get(term)!, 0);
  return { stats, partial, rest, entries, scores, ranked, read };
}

/**
 * BM25 matches of `text`, best first: the first pass, then an RM3 feedback pass whose terms
 * (taken from the first pass's best matches) rescore the candidates that can still reach the top
 * RECENCY_DEPTH × limit with them, and add those of their rarest terms within what is left of
 * the budget, then the recency lift over that top. Every score there is exact BM25 of the
 * feedback-weighted query; what the budget can miss is a memory holding none of the query's
 * selective terms (see planCandidates) nor the feedback terms read. With no budget (0), every
 * term's postings are read: exact BM25 of the whole feedback-weighted query.
 */
export async function rankText(
  index: SearchIndex,
  tenant: string,
  namespace: string,
  text: string,
  limit: number,
  budget?: number,
): Promise<Hit[]> {
  const k = RECENCY_DEPTH * limit;
  const first = weightedQueryTerms(text);
  const found = await firstPass(index, tenant, namespace, first, k, budget);
  if (found === undefined) {
    return [];
  }
  let ranked = found.ranked;
  const top = ranked.slice(0, FEEDBACK_DOCS);
  if (top.length > 0) {
    const content = await index.contents(
      tenant,
      top.map((hit) => hit.seq),
    );
    const best = top
      .filter((hit) => content.has(hit.seq))
      .map((hit) => ({ content: content.get(hit.seq)!, score: hit.score }));
    const second = withFeedback(first, best);
    const added = second.terms.filter((term) => !first.weights.has(term));
    if (added.length > 0) {
      const { scope, stats } = found.stats;
      const more = await index.documentFrequencies(scope, added);
      const df = new Map([...found.stats.df, ...more]);
      const adding =
        budget === 0
          ? [...more.keys()]
          : termsWithin(more, (budget ?? DEFAULT_CANDIDATE_POSTINGS) - found.read);
      // Feedback only adds to scores: the first pass's k-th exact score bars the rest.
      const bar = ranked.length >= k ? raw(ranked[k - 1].score) : -Infinity;
      const most = found.rest + mostAdded([...more.keys()], second.weights, df, stats);
      const seen = new Set(found.entries.map((entry) => entry.seq));
      const reach = found.partial
        .filter((hit) => !seen.has(hit.seq) && raw(hit.score) + most >= bar)
        .map((hit) => hit.seq);
      const fresh =
        reach.length === 0 && adding.length === 0
          ? []
          : (await index.entries(scope, reach, adding)).filter((entry) => !seen.has(entry.seq));
      // The second query is the first one's terms, then the added ones: the entries scored
      // already go on from their first-pass sums.
      const grown = bm25Scores(
        found.entries,
        added.filter((term) => more.has(term)),
        second.weights,
        df,
        stats,
        found.scores,
      );
      const freshScores = bm25Scores(fresh, second.terms, second.weights, df, stats);
      ranked = [...hitsOf(found.entries, grown), ...hitsOf(fresh, freshScores)].sort(byScore);
    }
  }
  return boostRecent(ranked, k);
}

/** The most `terms` can add to a raw BM25 score: each term's weight × idf × (k1 + 1). */
function mostAdded(
  terms: readonly string[],
  weights: ReadonlyMap<string, number>,
  df: ReadonlyMap<string, number>,
  stats: ScopeStats,
): number {
  return terms.reduce(
    (sum, term) =>
      sum + (weights.get(term) ?? 1) * idf(df.get(term) ?? 0, stats.docs) * (BM25_K1 + 1),
    0,
  );
}

/** A score in (0, 1) back to raw BM25. */
function raw(score: number): number {
  return score / (1 - score);
}

/**
 * The search both stores run: BM25 (rankText) above `minScore`, the best `limit`; with a query
 * vector, fused with the vector hits by rank.
 */
export async function searchFlow(
  index: SearchIndex,
  tenant: string,
  namespace: string,
  text: string,
  options: FlowOptions,
): Promise<Hit[]> {
  const { limit } = options;
  const matches = (await rankText(index, tenant, namespace, text, limit, options.budget))
    .filter((hit) => hit.score >= (options.minScore ?? 0))
    .slice(0, limit);
  if (options.embedding === undefined) {
    return matches;
  }
  const vector = await index.vectorHits(tenant, namespace, {
    embedding: options.embedding,
    minSimilarity: options.minSimilarity ?? 0,
    limit,
  });
  return fuseRanks(
    matches.map((hit) => hit.seq),
    vector.slice(0, limit),
  ).slice(0, limit);
}

/**
 * The rarest terms whose postings fit in `budget` together, rarest first; unlike
 * planCandidates, none when even the rarest does not fit.
 */
export function termsWithin(df: ReadonlyMap<string, number>, budget: number): string[] {
  const terms = [...df.keys()].sort((a, b) => df.get(a)! - df.get(b)! || (a < b ? -1 : 1));
  const chosen: string[] = [];
  let read = 0;
  for (const term of terms) {
    read += df.get(term)!;
    if (read > budget) {
      break;
    }
    chosen.push(term);
  }
  return chosen;
}
