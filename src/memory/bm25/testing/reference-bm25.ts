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
    termsOf(terms).map(([term, tf]) => ({ term, seq, tf, dl })),
  );
}

/**
 * An entry's terms read the plain way, apart from the scanner: compact (`~`, then per term a
 * character of 32 + length, the term, its own count's, a character of 64 + 4 tf) or `term:tf` pairs.
 */
function termsOf(encoded: string): Array<[string, number]> {
  if (encoded === '') {
    return [];
  }
  if (!encoded.startsWith('~')) {
    return encoded.split(' ').map((pair) => {
      const colon = pair.lastIndexOf(':');
      return [pair.slice(0, colon), Number(pair.slice(colon + 1))];
    });
  }
  const terms: Array<[string, number]> = [];
  for (let at = 1; at < encoded.length;) {
    const length = encoded.charCodeAt(at) - 32;
    const term = encoded.slice(at + 1, at + 1 + length);
    terms.push([term, (encoded.charCodeAt(at + 2 + length) - 64) / 4]);
    at += length + 3;
  }
  return terms;
}

/** An entry as rows written before the compact form hold it: sorted `term:tf` pairs. */
export function spacedTerms(tf: ReadonlyMap<string, number>): string {
  return [...tf]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([term, weight]) => `${term}:${weight}`)
    .join(' ');
}
