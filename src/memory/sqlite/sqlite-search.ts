import { createHash } from 'node:crypto';

/**
 * Postgres' English stop words (snowball), so a question's filler words match nothing on
 * either store: FTS5 itself keeps every word.
 */
const STOP_WORDS = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself ' +
    'she her hers herself it its itself they them their theirs themselves what which who whom ' +
    'this that these those am is are was were be been being have has had having do does did ' +
    'doing a an the and but if or because as until while of at by for with about against ' +
    'between into through during before after above below to from up down in out on off over ' +
    'under again further then once here there when where why how all any both each few more ' +
    'most other some such no nor not only own same so than too very s t can will just don ' +
    'should now'
  ).split(' '),
);
// Bounds the cost of a long query: its first distinct words carry enough of it.
const MAX_QUERY_WORDS = 64;
/** Weight of a query word found only in a memory's neighbouring turns (Postgres: weight C). */
const CONTEXT_WEIGHT = 0.2;
const HIT_START = '\u0001';
const HIT_END = '\u0002';
// eslint-disable-next-line no-control-regex -- the marks are control characters on purpose
const HIT = /\u0001([^\u0002]*)\u0002/g;

/**
 * The FTS token that marks a tenant's namespace: a search matches it AND its words, so it only
 * ever reads that namespace's postings. A hash, so names of any shape make one plain token.
 */
export function scopeToken(tenant: string, namespace: string): string {
  return `s${createHash('sha256').update(`${tenant}\u0000${namespace}`).digest('hex').slice(0, 24)}`;
}

/**
 * An FTS5 query: the scope token AND any of the query's words (stop words dropped), each quoted
 * so nothing in the text is read as FTS syntax; FTS5 stems them (porter) as it stemmed the
 * memories. Undefined when no word is left.
 */
export function ftsQuery(scope: string, text: string): string | undefined {
  const words = [
    ...new Set(
      text
        .normalize('NFKC')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word !== '' && !STOP_WORDS.has(word)),
    ),
  ].slice(0, MAX_QUERY_WORDS);
  if (words.length === 0) {
    return undefined;
  }
  return `scope : "${scope}" AND {content context} : (${words.map((w) => `"${w}"`).join(' OR ')})`;
}

/** highlight() arguments that mark each matched word. */
export const HIGHLIGHT_MARKS = [HIT_START, HIT_END] as const;

/**
 * A score in (0, 1) from the matches FTS5 highlighted, on the scale of the Postgres store's
 * rank/(rank+1): one query word in the memory itself scores 0.5, one only in its context 0.17,
 * more words and more mentions score more (a word's repeats count logarithmically).
 */
export function matchScore(contentHits: string | null, contextHits: string | null): number {
  const inContent = hitCounts(contentHits);
  const inContext = hitCounts(contextHits);
  let raw = 0;
  for (const count of inContent.values()) {
    raw += 1 + Math.log(count);
  }
  for (const [word, count] of inContext) {
    if (!inContent.has(word)) {
      raw += CONTEXT_WEIGHT * (1 + Math.log(count));
    }
  }
  return raw / (raw + 1);
}

function hitCounts(highlighted: string | null): Map<string, number> {
  const counts = new Map<string, number>();
  if (highlighted === null || !highlighted.includes(HIT_START)) {
    return counts;
  }
  for (const match of highlighted.matchAll(HIT)) {
    const word = match[1].toLowerCase();
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}
