import type { ForwardEntry } from './forward-entries';

/**
 * How a memory's forward entry (its weighted terms) is written on its row, and read: both
 * stores keep the same text.
 */
const SPACE = 32;
const COLON = 58;
/**
 * A compact entry starts with this mark, then each term as one character for its length
 * (LENGTH_BASE + length), the term, one character for its tf (TF_BASE + 4 tf): no separators
 * to look for, so scoring jumps from term to term without reading every character (that read,
 * a branch at each space and colon, was a third of a search's CPU), and a term is hashed only
 * when its length and first character are a query term's. An entry written before, or one a
 * term or tf of which does not fit, is `term:tf` pairs joined by spaces, never starting with
 * the mark (terms are letters and digits).
 */
const COMPACT = '~';
const LENGTH_BASE = 32;
const MAX_COMPACT_TERM = 126 - LENGTH_BASE;
const TF_BASE = 64;
// Below the surrogates, so every tf is one UTF-16 code unit.
const MAX_COMPACT_TF = (0xd7ff - TF_BASE) / 4;

/** A memory's weighted terms as its row stores them, sorted by term (code units). */
export function encodeTerms(tf: ReadonlyMap<string, number>): string {
  const sorted = [...tf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const compact = sorted.every(
    ([term, weight]) =>
      term.length > 0 &&
      term.length <= MAX_COMPACT_TERM &&
      weight > 0 &&
      weight <= MAX_COMPACT_TF &&
      Number.isInteger(weight * 4),
  );
  if (compact && sorted.length > 0) {
    return (
      COMPACT +
      sorted
        .map(
          ([term, weight]) =>
            String.fromCharCode(LENGTH_BASE + term.length) +
            term +
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
 * Where each term of each entry's encoded text is: entry `e`'s are `offsets[e]` to
 * `offsets[e + 1]`, term `p` from `starts[p]` to `ends[p]`. A compact entry's tf is the
 * character at `ends[p]`; in a `term:tf` entry the tf runs on to `tfEnds[p]`, and the term's
 * hash is in `hashes[p]` (taken on the way, as its every character is read anyway). The text is
 * read once; each scoring of the entries (the first pass, then the feedback terms) only looks
 * its terms up.
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
  // A pair takes 3 characters at least (compact: length, term, tf): that many slots suffice.
  let capacity = 0;
  for (const entry of entries) {
    capacity += Math.floor(entry.terms.length / 3) + 1;
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
    const end = start + text.charCodeAt(at) - LENGTH_BASE;
    starts[count] = start;
    ends[count] = end;
    count += 1;
    at = end + 1;
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
    ? (text.charCodeAt(end) - TF_BASE) / 4
    : Number(text.slice(end + 1, pairs.tfEnds[pair]));
}
