import { BM25_B, BM25_K1, idf, ScopeStats } from '../bm25';
import { Posting } from '../conversation-index';
import { ForwardEntry } from '../forward-entries';

/**
 * Okapi BM25 computed the plain way, from postings, for specs to check the search's scorer
 * (forward-entries) against: each candidate's parts, summed in `order`'s order (whatever order
 * the postings come in), each term's part times its query weight (1 when not given). Best
 * first, ties by newer seq; scores mapped to (0, 1) as s / (s + 1).
 */
export function rankByBm25(
  postings: readonly Posting[],
  order: readonly string[],
  df: ReadonlyMap<string, number>,
  stats: ScopeStats,
  queryWeights?: ReadonlyMap<string, number>,
): Array<{ seq: number; score: number }> {
  const position = new Map(order.map((term, index) => [term, index]));
  const weights = order.map(
    (term) => (queryWeights?.get(term) ?? 1) * idf(df.get(term) ?? 0, stats.docs),
  );
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

/** Every posting the entries hold: what the index has for those rows. */
export function entryPostings(entries: readonly ForwardEntry[]): Posting[] {
  return entries.flatMap(({ seq, terms, dl }) =>
    terms === ''
      ? []
      : terms.split(' ').map((pair) => {
          const colon = pair.lastIndexOf(':');
          return { term: pair.slice(0, colon), seq, tf: Number(pair.slice(colon + 1)), dl };
        }),
  );
}
