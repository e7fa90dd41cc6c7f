import { WeightedQuery } from './query-terms';
import { textTerms } from './text-terms';

/**
 * Pseudo-relevance feedback (RM3): the first pass's best matches read, terms taken from them,
 * the weight of the heaviest (tuned on bench/memory's eval: see the note of issue 12).
 */
export const FEEDBACK_DOCS = 3;
export const FEEDBACK_TERMS = 20;
export const FEEDBACK_WEIGHT = 0.2;
/**
 * The part of the candidate budget the feedback terms may add candidates with (of what the
 * first pass left). Uncapped, feedback read more entries than the first pass in a namespace of
 * 1,000 memories (bench/memory tenants set: 350 a query). At 10 % (about 90 entries there) the
 * top 10s are the same there (all of exact BM25's), the eval's recall is the same, and at
 * 100,000 memories 31.5 % of exact BM25's top 10 are found against 32.3 % at 30 % (120
 * queries), for 15 % less CPU a search in the tenants set.
 */
export const FEEDBACK_BUDGET_SHARE = 0.1;

/** A best match: how often each term is in its own text (see ownTerms), its score. */
export interface FeedbackDoc {
  own: ReadonlyMap<string, number>;
  score: number;
}

/** How often each term is in `content`: a FeedbackDoc's `own` from a memory's text. */
export function termCounts(content: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of textTerms(content)) {
    counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return counts;
}

/**
 * The query with the terms that weigh most in its first-pass best matches added (RM3: each
 * document's term distribution weighted by its score), at up to FEEDBACK_WEIGHT: the words of
 * what was found find what says the same thing again.
 */
export function withFeedback(query: WeightedQuery, best: readonly FeedbackDoc[]): WeightedQuery {
  const mass = new Map<string, number>();
  for (const { own, score } of best.slice(0, FEEDBACK_DOCS)) {
    let length = 0;
    for (const count of own.values()) {
      length += count;
    }
    for (const [term, count] of own) {
      if (!query.weights.has(term)) {
        // Once per occurrence, as the text's terms were summed one by one: the same floats.
        let sum = mass.get(term) ?? 0;
        for (let time = 0; time < count; time++) {
          sum += score / length;
        }
        mass.set(term, sum);
      }
    }
  }
  const chosen = [...mass]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, FEEDBACK_TERMS);
  if (chosen.length === 0) {
    return query;
  }
  const top = chosen[0][1];
  const weights = new Map(query.weights);
  for (const [term, value] of chosen) {
    weights.set(term, (FEEDBACK_WEIGHT * value) / top);
  }
  return { terms: [...weights.keys()], weights };
}
