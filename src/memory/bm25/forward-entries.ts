import { BM25_B, BM25_K1, byScore, Hit, idf, ScopeStats } from './bm25';
import { EntryPairs, tfOf } from './entry-encoding';

/** A memory's forward index entry as stored on its row: encoded weighted terms, length. */
export interface ForwardEntry {
  seq: number;
  terms: string;
  dl: number;
}

/** The same 32-bit hash of a term, whether it is a whole string or a span of an entry. */
function hashOf(text: string, start: number, end: number): number {
  let hash = 0;
  for (let at = start; at < end; at++) {
    hash = (Math.imul(hash, 31) + text.charCodeAt(at)) | 0;
  }
  return hash;
}

/**
 * A term's length and first and last characters folded into 16 bits: few of an entry's terms
 * share a query term's, so most are turned away by it before they are hashed.
 */
function sketchOf(text: string, start: number, end: number): number {
  return (
    (((end - start) & 15) << 12) |
    ((text.charCodeAt(start) & 63) << 6) |
    (text.charCodeAt(end - 1) & 63)
  );
}

/**
 * A query's terms in an open-addressing table by hash: an entry's terms are looked up as spans
 * of its encoded text, never cut out of it. Scoring a candidate was mostly slicing its entry
 * into strings (and collecting them) to find the few terms the query holds.
 */
class TermTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** A bit for each query term's sketch. */
  private readonly sketches = new Int32Array(1 << 11);

  constructor(private readonly terms: readonly string[]) {
    let size = 16;
    while (size < terms.length * 4) {
      size *= 2;
    }
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    terms.forEach((term, index) => {
      let slot = this.slotOf(hashOf(term, 0, term.length));
      while (this.slots[slot] !== 0) {
        slot = (slot + 1) & this.mask;
      }
      this.slots[slot] = index + 1;
      if (term.length > 0) {
        const sketch = sketchOf(term, 0, term.length);
        this.sketches[sketch >>> 5] |= 1 << (sketch & 31);
      }
    });
  }

  /** The index of the term spelled by `text` from `start` to `end`, or -1. */
  find(text: string, start: number, end: number): number {
    const sketch = sketchOf(text, start, end);
    if ((this.sketches[sketch >>> 5] & (1 << (sketch & 31))) === 0) {
      return -1;
    }
    return this.findHashed(text, start, end, hashOf(text, start, end));
  }

  /** find, with the span's hash known. */
  findHashed(text: string, start: number, end: number, hash: number): number {
    for (let slot = this.slotOf(hash); this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      const index = this.slots[slot] - 1;
      const term = this.terms[index];
      if (term.length === end - start && text.startsWith(term, start)) {
        return index;
      }
    }
    return -1;
  }

  private slotOf(hash: number): number {
    return (hash ^ (hash >>> 15)) & this.mask;
  }
}

/**
 * Raw Okapi BM25 of each entry over `order`'s terms (0 where it holds none of them), summed in
 * `order`'s order from the first term, as Okapi BM25 over the same postings sums them
 * (testing/reference-bm25 checks it).
 * `from` (the raw scores of the same entries over the terms just before `order`'s) continues
 * that sum, so a query that grew by some terms scores only those on entries already scored.
 */
export function bm25Scores(
  entries: readonly ForwardEntry[],
  pairs: EntryPairs,
  order: readonly string[],
  queryWeights: ReadonlyMap<string, number>,
  df: ReadonlyMap<string, number>,
  stats: ScopeStats,
  from?: Float64Array,
): Float64Array {
  const table = new TermTable(order);
  const weights = order.map(
    (term) => (queryWeights.get(term) ?? 1) * idf(df.get(term) ?? 0, stats.docs),
  );
  const averageLength =
    stats.docs > 0 && stats.totalLength > 0 ? stats.totalLength / stats.docs : 1;
  const parts = new Float64Array(order.length);
  const raw = from === undefined ? new Float64Array(entries.length) : Float64Array.from(from);
  const { offsets, hashes, starts, ends, compact } = pairs;
  entries.forEach(({ terms: text, dl }, entry) => {
    const norm = BM25_K1 * (1 - BM25_B + (BM25_B * dl) / averageLength);
    const hashed = compact[entry] === 0;
    let matched = false;
    for (let pair = offsets[entry]; pair < offsets[entry + 1]; pair++) {
      const index = hashed
        ? table.findHashed(text, starts[pair], ends[pair], hashes[pair])
        : table.find(text, starts[pair], ends[pair]);
      if (index >= 0) {
        const tf = tfOf(text, pairs, entry, pair);
        parts[index] = (weights[index] * tf * (BM25_K1 + 1)) / (tf + norm);
        matched = true;
      }
    }
    if (matched) {
      let sum = raw[entry];
      for (let index = 0; index < parts.length; index++) {
        sum += parts[index];
        parts[index] = 0;
      }
      raw[entry] = sum;
    }
  });
  return raw;
}

/**
 * The entries with a score, best first, ties by newer seq, scores mapped to (0, 1); the best
 * `keep` only, the very ones a sort of them all would put first. A search wants its best few of
 * hundreds of candidates: sorting them all as objects was 5 % of its CPU, where the scores alone
 * (a typed array, sorted natively) tell which are worth a place.
 */
export function hitsOf(
  entries: readonly ForwardEntry[],
  raw: Float64Array,
  keep = Infinity,
): Hit[] {
  const scores = new Float64Array(entries.length);
  let scored = 0;
  for (let entry = 0; entry < entries.length; entry++) {
    if (raw[entry] > 0) {
      scores[scored++] = raw[entry] / (raw[entry] + 1);
    }
  }
  // The keep-th best score: every hit at or above it, ties included, then sorted and cut.
  const floor = scored > keep ? scores.subarray(0, scored).sort()[scored - keep] : 0;
  const hits: Hit[] = [];
  for (let entry = 0; entry < entries.length; entry++) {
    if (raw[entry] > 0) {
      const score = raw[entry] / (raw[entry] + 1);
      if (score >= floor) {
        hits.push({ seq: entries[entry].seq, score });
      }
    }
  }
  hits.sort(byScore);
  return hits.length > keep ? hits.slice(0, keep) : hits;
}
