// How a memory's forward entry (its weighted terms) is written on its row, and read: both
// stores keep the same text.
import type { ForwardEntry } from './forward-entries';

const SPACE = 32;
const COLON = 58;
/**
 * A compact entry starts with this mark, then for each term: one character for its length
 * (LENGTH_BASE + length), the term, one for how often the memory's own text holds it
 * (OWN_BASE + count: the feedback pass reads its best matches' terms from their entries, not
 * their text), one for its tf (TF_BASE + 4 tf, neighbours included). No separators to look
 * for, so scoring jumps from term to term without reading every character (that read, a branch
 * at each space and colon, was a third of a search's CPU). An entry written before, or one a
 * term, count or tf of which does not fit, is `term:tf` pairs joined by spaces, never starting
 * with the mark (terms are letters and digits).
 */
const COMPACT = '~';
const LENGTH_BASE = 32;
const MAX_COMPACT_TERM = 126 - LENGTH_BASE;
const OWN_BASE = 48;
const TF_BASE = 64;
// Below the surrogates, so every count and tf is one UTF-16 code unit.
const MAX_CODE = 0xd7ff;

/**
 * A memory's weighted terms as its row stores them, sorted by term (code units), with the
 * counts of the terms in its own text (`own`; none: a spec's entry).
 */
export function encodeTerms(
  tf: ReadonlyMap<string, number>,
  own: ReadonlyMap<string, number> = new Map(),
): string {
  const sorted = [...tf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const compact = sorted.every(
    ([term, weight]) =>
      term.length > 0 &&
      term.length <= MAX_COMPACT_TERM &&
      weight > 0 &&
      TF_BASE + weight * 4 <= MAX_CODE &&
      Number.isInteger(weight * 4) &&
      OWN_BASE + (own.get(term) ?? 0) <= MAX_CODE,
  );
  if (compact && sorted.length > 0) {
    return (
      COMPACT +
      sorted
        .map(
          ([term, weight]) =>
            String.fromCharCode(LENGTH_BASE + term.length) +
            term +
            String.fromCharCode(OWN_BASE + (own.get(term) ?? 0)) +
            String.fromCharCode(TF_BASE + weight * 4),
        )
        .join('')
    );
  }
  return sorted.map(([term, weight]) => `${term}:${weight}`).join(' ');
}

export function decodeTerms(encoded: string): Map<string, number> {
  const tf = new Map<string, number>();
  const pairs = pairsOf([{ seq: 0, terms: encoded, dl: 0 }]);
  for (let pair = 0; pair < pairs.offsets[1]; pair++) {
    tf.set(encoded.slice(pairs.starts[pair], pairs.ends[pair]), tfOf(encoded, pairs, 0, pair));
  }
  return tf;
}

/**
 * How often each term is in the memory's own text (textTerms of its content, repeats
 * counted), from its entry; undefined for a `term:tf` entry, which does not tell.
 */
export function ownTerms(encoded: string): Map<string, number> | undefined {
  if (!encoded.startsWith(COMPACT)) {
    return undefined;
  }
  const counts = new Map<string, number>();
  const pairs = pairsOf([{ seq: 0, terms: encoded, dl: 0 }]);
  for (let pair = 0; pair < pairs.offsets[1]; pair++) {
    const count = encoded.charCodeAt(pairs.ends[pair]) - OWN_BASE;
    if (count > 0) {
      counts.set(encoded.slice(pairs.starts[pair], pairs.ends[pair]), count);
    }
  }
  return counts;
}

/**
 * Where each term of each entry's encoded text is: entry `e`'s are `offsets[e]` to
 * `offsets[e + 1]`, term `p` from `starts[p]` to `ends[p]`. A compact entry's own count and tf
 * are the two characters from `ends[p]`; in a `term:tf` entry the tf runs on to `tfEnds[p]`,
 * and the term's hash is in `hashes[p]` (taken on the way, as its every character is read
 * anyway). The text is read once; each scoring of the entries (the first pass, then the
 * feedback terms) only looks its terms up.
 */
export interface EntryPairs {
  offsets: Int32Array;
  hashes: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  tfEnds: Int32Array;
  compact: Uint8Array;
}

export function pairsOf(entries: readonly ForwardEntry[]): EntryPairs {
  // A pair takes 4 characters at least (compact: length, term, count, tf): slots enough.
  let capacity = 0;
  for (const entry of entries) {
    capacity += (entry.terms.length >> 2) + 1;
  }
  const pairs: EntryPairs = {
    offsets: new Int32Array(entries.length + 1),
    hashes: new Int32Array(capacity),
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
    tfEnds: new Int32Array(capacity),
    compact: new Uint8Array(entries.length),
  };
  let count = 0;
  for (let entry = 0; entry < entries.length; entry++) {
    const text = entries[entry].terms;
    pairs.offsets[entry] = count;
    if (text.startsWith(COMPACT)) {
      pairs.compact[entry] = 1;
      count = compactPairs(text, pairs, count);
    } else {
      count = spacedPairs(text, pairs, count);
    }
  }
  pairs.offsets[entries.length] = count;
  return pairs;
}

function compactPairs(text: string, pairs: EntryPairs, count: number): number {
  const { starts, ends } = pairs;
  for (let at = COMPACT.length; at < text.length;) {
    const start = at + 1;
    // Never backwards, whatever a damaged row holds: the loop always ends.
    const end = start + Math.max(0, text.charCodeAt(at) - LENGTH_BASE);
    starts[count] = start;
    ends[count] = end;
    count += 1;
    at = end + 2;
  }
  return count;
}

function spacedPairs(text: string, pairs: EntryPairs, count: number): number {
  const { hashes, starts, ends, tfEnds } = pairs;
  let start = 0;
  let colon = -1;
  let hash = 0;
  let termHash = 0;
  for (let at = 0; at <= text.length; at++) {
    const code = at < text.length ? text.charCodeAt(at) : SPACE;
    if (code === COLON) {
      // The last colon of a pair splits term from tf.
      colon = at;
      termHash = hash;
    } else if (code === SPACE) {
      if (colon > start) {
        hashes[count] = termHash;
        starts[count] = start;
        ends[count] = colon;
        tfEnds[count] = at;
        count += 1;
      }
      start = at + 1;
      colon = -1;
      hash = 0;
      continue;
    }
    hash = (Math.imul(hash, 31) + code) | 0;
  }
  return count;
}

/** The tf of entry `entry`'s term `pair`. */
export function tfOf(text: string, pairs: EntryPairs, entry: number, pair: number): number {
  const end = pairs.ends[pair];
  return pairs.compact[entry] === 1
    ? (text.charCodeAt(end + 1) - TF_BASE) / 4
    : Number(text.slice(end + 1, pairs.tfEnds[pair]));
}
