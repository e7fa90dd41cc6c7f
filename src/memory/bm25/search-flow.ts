import {
  boostRecent,
  byScore,
  DEFAULT_CANDIDATE_POSTINGS,
  Hit,
  planCandidates,
  RECENCY_DEPTH,
  ScopeStats,
} from './bm25';
import {
  FEEDBACK_BUDGET_SHARE,
  FEEDBACK_DOCS,
  FeedbackDoc,
  termCounts,
  withFeedback,
} from './feedback';
import { EntryPairs, ownTerms, pairsOf } from './entry-encoding';
import { bm25Scores, ForwardEntry, hitsOf } from './forward-entries';
import { WeightedQuery, weightedQueryTerms } from './query-terms';
import { fuseRanks } from '../rank-fusion';

/**
 * The first pass's best LIKELY_DEPTH × k matches are read with the feedback pass (their rows, in
 * the same statement on Postgres): the results are among the first pass's best k for half the
 * evaluation's questions asked of a 1,000-memory namespace, among its best 2k for three quarters;
 * a result outside them costs one more statement.
 */
const LIKELY_DEPTH = 2;

/** A namespace's statistics and some terms' document frequencies; `scope` names its index. */
export interface TermStats {
  scope: number;
  stats: ScopeStats;
  df: Map<string, number>;
}

/**
 * What a search reads first: the namespace's statistics and the query terms' document
 * frequencies, and the forward entries of every memory holding a term planCandidates picks
 * within the budget (when it caps the rarest term, of the memories of its newest postings).
 */
export interface CandidateRead {
  stats: TermStats;
  entries: ForwardEntry[];
}

/** What the feedback pass reads: its terms' frequencies, and the entries its rarest add. */
export interface FeedbackRead {
  df: Map<string, number>;
  /** Entries of the memories holding termsWithin(df, limit)'s terms (every term's: no limit). */
  entries: ForwardEntry[];
}

/**
 * What the search flow needs of a store; both stores implement it over the same tables, each
 * read in one statement where the store is a round trip away.
 */
export interface SearchIndex {
  /** Undefined when the namespace has no index (never written, or erased). */
  candidates(
    tenant: string,
    namespace: string,
    terms: readonly string[],
    budget: number,
  ): Promise<CandidateRead | undefined>;
  /**
   * `likely`: the first pass's best matches, among which the results mostly are: a store a
   * round trip away can read their rows in the same statement.
   */
  feedback(
    scope: number,
    terms: readonly string[],
    limit: number | undefined,
    likely: readonly number[],
  ): Promise<FeedbackRead>;
  /**
   * The contents of the first pass's best matches (`likely`, as for feedback), for the
   * feedback pass when an entry does not tell its own terms.
   */
  contents(tenant: string, likely: readonly number[]): Promise<Map<number, string>>;
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
  /**
   * The forward entries read, their raw BM25 (in their order), and the best `keep` of them
   * (all by default) with their exact BM25, best first.
   */
  entries: ForwardEntry[];
  pairs: EntryPairs;
  scores: Float64Array;
  ranked: Hit[];
  /** Postings the candidates were generated from (of the budget). */
  read: number;
}

/**
 * The query's first pass: candidates from the postings of its selective terms, within the
 * budget (planCandidates), each scored on ALL the weighted query terms from its forward entry:
 * exact BM25, with no posting of a common term read. (A MaxScore bound on what the common
 * terms can add pruned almost nothing here, 5 % of the candidates at 100,000 memories: the
 * WordNet-expanded query has many of them, so reading every candidate costs less than a read
 * more.) `ranked` holds the best `keep` candidates with their exact BM25, best first.
 */
export async function firstPass(
  index: SearchIndex,
  tenant: string,
  namespace: string,
  query: WeightedQuery,
  budget: number = DEFAULT_CANDIDATE_POSTINGS,
  keep = Infinity,
): Promise<FirstPass | undefined> {
  if (query.terms.length === 0) {
    return undefined;
  }
  const read = await index.candidates(tenant, namespace, query.terms, budget);
  if (read === undefined || read.stats.df.size === 0) {
    return undefined;
  }
  const { stats, entries } = read;
  const plan = planCandidates(stats.df, budget);
  const pairs = pairsOf(entries);
  const scores = bm25Scores(entries, pairs, query.terms, query.weights, stats.df, stats.stats);
  return {
    stats,
    entries,
    pairs,
    scores,
    ranked: hitsOf(entries, scores, keep),
    read: plan.cap ?? plan.essential.reduce((sum, term) => sum + stats.df.get(term)!, 0),
  };
}

/**
 * The best BM25 matches of `text` (RECENCY_DEPTH × limit of them at least), best first: the
 * first pass, then an RM3 feedback pass whose terms (taken from the first pass's best matches)
 * rescore its candidates and add the memories holding those of their rarest terms within what
 * is left of the budget (at most FEEDBACK_BUDGET_SHARE of it), then the recency lift over the
 * top RECENCY_DEPTH × limit. Every score there is exact BM25 of the feedback-weighted query;
 * what the budget can miss is a memory holding none of the query's selective terms (see
 * planCandidates) nor the feedback terms read. With no budget (0), every term's postings are
 * read: exact BM25 of the whole feedback-weighted query.
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
  const found = await firstPass(index, tenant, namespace, first, budget, LIKELY_DEPTH * k);
  if (found === undefined) {
    return [];
  }
  let ranked = found.ranked;
  const top = ranked.slice(0, FEEDBACK_DOCS);
  if (top.length > 0) {
    const likely = ranked.slice(0, LIKELY_DEPTH * k).map((hit) => hit.seq);
    const second = withFeedback(first, await feedbackDocs(index, tenant, found, top, likely));
    const added = second.terms.filter((term) => !first.weights.has(term));
    if (added.length > 0) {
      const { scope, stats } = found.stats;
      const more = await index.feedback(scope, added, feedbackBudget(budget, found.read), likely);
      const df = new Map([...found.stats.df, ...more.df]);
      const seen = new Set(found.entries.map((entry) => entry.seq));
      const fresh = more.entries.filter((entry) => !seen.has(entry.seq));
      // The second query is the first one's terms, then the added ones: the entries scored
      // already go on from their first-pass sums.
      const grown = bm25Scores(
        found.entries,
        found.pairs,
        added.filter((term) => more.df.has(term)),
        second.weights,
        df,
        stats,
        found.scores,
      );
      const freshScores = bm25Scores(
        fresh,
        pairsOf(fresh),
        second.terms,
        second.weights,
        df,
        stats,
      );
      ranked = [...hitsOf(found.entries, grown, k), ...hitsOf(fresh, freshScores, k)]
        .sort(byScore)
        .slice(0, k);
    }
  }
  return boostRecent(ranked, k);
}

/**
 * The first pass's best matches with their own terms, read from their entries; from their text
 * when one was written before entries told them (see ownTerms).
 */
async function feedbackDocs(
  index: SearchIndex,
  tenant: string,
  found: FirstPass,
  top: readonly Hit[],
  likely: readonly number[],
): Promise<FeedbackDoc[]> {
  const own = top.map((hit) =>
    ownTerms(found.entries.find((entry) => entry.seq === hit.seq)!.terms),
  );
  if (own.every((terms) => terms !== undefined)) {
    return top.map((hit, at) => ({ own: own[at], score: hit.score }));
  }
  const content = await index.contents(tenant, likely);
  return top
    .filter((hit) => content.has(hit.seq))
    .map((hit) => ({ own: termCounts(content.get(hit.seq)!), score: hit.score }));
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

/** Postings the feedback terms may add candidates with; undefined: all (exact search). */
function feedbackBudget(budget = DEFAULT_CANDIDATE_POSTINGS, read: number): number | undefined {
  return budget === 0
    ? undefined
    : Math.max(0, Math.min(budget - read, Math.floor(budget * FEEDBACK_BUDGET_SHARE)));
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
