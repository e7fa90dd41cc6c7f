import {
  boostRecent,
  DEFAULT_CANDIDATE_POSTINGS,
  planCandidates,
  rankByBm25,
  RECENCY_DEPTH,
  ScopeStats,
} from './bm25';
import { Posting } from './conversation-index';
import { FEEDBACK_DOCS, withFeedback } from './feedback';
import { WeightedQuery, weightedQueryTerms } from './query-terms';
import { fuseRanks } from '../rank-fusion';

/** A memory's forward index entry as stored on its row: encoded weighted terms, length. */
export interface ForwardEntry {
  seq: number;
  terms: string;
  dl: number;
}

/** A namespace's statistics and some terms' document frequencies; `scope` names its index. */
export interface TermStats {
  scope: number;
  stats: ScopeStats;
  df: Map<string, number>;
}

export interface Hit {
  seq: number;
  score: number;
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
  /**
   * The forward entries of the memories holding any of `essential`'s terms (when `cap` is set,
   * of the `cap` newest holding `essential[0]`): the candidates, read in one statement.
   */
  candidateEntries(
    scope: number,
    essential: readonly string[],
    cap?: number,
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
  /** The candidates' forward entries, their postings of the query's terms, their BM25. */
  entries: ForwardEntry[];
  postings: Posting[];
  ranked: Hit[];
  /** Postings the candidates were generated from (of the budget). */
  read: number;
}

/**
 * The query's first pass: candidates from the postings of its selective terms, within the
 * budget (planCandidates), then every candidate scored on ALL the weighted query terms from its
 * forward entry (exact BM25 for each candidate, with no further posting reads).
 */
export async function firstPass(
  index: SearchIndex,
  tenant: string,
  namespace: string,
  query: WeightedQuery,
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
  const entries = await index.candidateEntries(stats.scope, plan.essential, plan.cap);
  const postings = entryPostings(entries, query.weights);
  const ranked = rankByBm25(postings, query.terms, stats.df, stats.stats, query.weights);
  const read = plan.cap ?? plan.essential.reduce((sum, term) => sum + stats.df.get(term)!, 0);
  return { stats, entries, postings, ranked, read };
}

/**
 * BM25 matches of `text`, best first: the first pass, then an RM3 feedback pass whose terms
 * (taken from the first pass's best matches) rescore the first pass's candidates and add those
 * of their rarest terms within what is left of the budget, then the recency lift over the top
 * RECENCY_DEPTH × limit. Every score is exact BM25 of the feedback-weighted query; what the
 * budget can miss is a memory holding none of the query's selective terms (see
 * planCandidates) nor the feedback terms read. With no budget (0), every term's postings are
 * read: exact BM25 of the whole feedback-weighted query, as before the forward-entry scoring.
 */
export async function rankText(
  index: SearchIndex,
  tenant: string,
  namespace: string,
  text: string,
  limit: number,
  budget?: number,
): Promise<Hit[]> {
  const first = weightedQueryTerms(text);
  const found = await firstPass(index, tenant, namespace, first, budget);
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
      const more = await index.documentFrequencies(found.stats.scope, added);
      const df = new Map([...found.stats.df, ...more]);
      const adding =
        budget === 0
          ? [...more.keys()]
          : termsWithin(more, (budget ?? DEFAULT_CANDIDATE_POSTINGS) - found.read);
      const seen = new Set(found.entries.map((entry) => entry.seq));
      const fresh =
        adding.length === 0
          ? []
          : (await index.candidateEntries(found.stats.scope, adding)).filter(
              (entry) => !seen.has(entry.seq),
            );
      const postings = [
        ...found.postings,
        ...entryPostings(found.entries, more),
        ...entryPostings(fresh, second.weights),
      ];
      ranked = rankByBm25(postings, second.terms, df, found.stats.stats, second.weights);
    }
  }
  return boostRecent(ranked, RECENCY_DEPTH * limit);
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

/**
 * The postings of `wanted` terms in forward entries: what the index holds for those rows (the
 * same tf and dl, so the same BM25 floats), read without touching the postings.
 */
export function entryPostings(
  entries: readonly ForwardEntry[],
  wanted: { has(term: string): boolean },
): Posting[] {
  const postings: Posting[] = [];
  for (const { seq, terms, dl } of entries) {
    let start = 0;
    while (start < terms.length) {
      let end = terms.indexOf(' ', start);
      if (end < 0) {
        end = terms.length;
      }
      const colon = terms.lastIndexOf(':', end);
      if (colon > start) {
        const term = terms.slice(start, colon);
        if (wanted.has(term)) {
          postings.push({ term, seq, tf: Number(terms.slice(colon + 1, end)), dl });
        }
      }
      start = end + 1;
    }
  }
  return postings;
}
