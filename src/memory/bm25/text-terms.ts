import stem from 'wink-porter2-stemmer';

/**
 * The English stop words of Postgres (snowball), dropped from memories and queries alike: they
 * occur everywhere and would only add postings and noise.
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
// A "word" longer than this is a hash, a URL or base64: cut, so one memory cannot bloat the index.
const MAX_TERM_CHARS = 40;
// Bounds the cost of a long query: its first distinct terms carry enough of it.
export const MAX_QUERY_TERMS = 64;

/**
 * The index terms of a text, in order, repeats kept: lower-cased words (letters and digits),
 * stop words dropped, stemmed with Porter2 (the snowball English stemmer Postgres uses).
 * Computed here for both stores, so they index and query exactly the same terms.
 */
export function textTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)) {
    if (word === '' || STOP_WORDS.has(word)) {
      continue;
    }
    // Numbers and codes are kept as written: the stemmer is for English words.
    const cut = word.slice(0, MAX_TERM_CHARS);
    const term = /\p{N}/u.test(cut) ? cut : stem(cut);
    if (term !== '' && !STOP_WORDS.has(term)) {
      terms.push(term);
    }
  }
  return terms;
}

/** A query's distinct terms, first MAX_QUERY_TERMS of them. */
export function queryTerms(text: string): string[] {
  return [...new Set(textTerms(text))].slice(0, MAX_QUERY_TERMS);
}
