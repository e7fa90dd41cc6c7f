import adjectiveExceptions from 'wink-lexicon/src/wn-adjective-exceptions.js';
import nounExceptions from 'wink-lexicon/src/wn-noun-exceptions.js';
import verbExceptions from 'wink-lexicon/src/wn-verb-exceptions.js';
import { LRUCache } from 'lru-cache';
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
 * stop words dropped, irregular forms to their base form, stemmed with Porter2 (the snowball
 * English stemmer Postgres uses). Computed here for both stores, so they index and query
 * exactly the same terms.
 */
export function textTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of queryWords(text)) {
    const term = wordTerm(word);
    if (term !== undefined) {
      terms.push(term);
    }
  }
  return terms;
}

/** A text's words, lower case, stop words dropped, in order. */
export function queryWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '' && !STOP_WORDS.has(word));
}

/**
 * Words already analysed, with their term ('' for none). A conversation repeats its words, and
 * every write re-reads a window of turns around it: stemming them again was most of a write's
 * analysis (and a tenth of a search's CPU while feedback read its best matches' text; it reads
 * their entries now, the text only for entries written before). Bounded, so no tenant's
 * vocabulary can grow it; a word is short (MAX_TERM_CHARS), so this is a few MB.
 */
const TERM_OF_WORD = new LRUCache<string, string>({ max: 50_000 });

/** The index term of one lower-case word; undefined for a stop word. */
export function wordTerm(word: string): string | undefined {
  const cut = word.slice(0, MAX_TERM_CHARS);
  let term = TERM_OF_WORD.get(cut);
  if (term === undefined) {
    term = analyse(cut);
    TERM_OF_WORD.set(cut, term);
  }
  return term === '' ? undefined : term;
}

function analyse(word: string): string {
  // Numbers and codes are kept as written: the stemmer is for English words.
  const term = /\p{N}/u.test(word) ? word : stem(baseForm(word));
  return STOP_WORDS.has(term) ? '' : term;
}

/** A query's distinct terms, first MAX_QUERY_TERMS of them. */
export function queryTerms(text: string): string[] {
  return [...new Set(textTerms(text))].slice(0, MAX_QUERY_TERMS);
}

/**
 * The base form of an irregular inflection (bought -> buy, children -> child, better -> good)
 * from WordNet's exception lists (as WordNet's morphy uses them), or the word itself: Porter2
 * only strips regular suffixes. An -s form is left to Porter2: "lives" and "leaves" are the
 * verbs' third person as often as the irregular plurals of life and leaf.
 */
function baseForm(word: string): string {
  const verb = own(verbExceptions, word);
  if (verb !== undefined) {
    return verb;
  }
  const noun = word.endsWith('s') ? undefined : own(nounExceptions, word);
  return noun ?? own(adjectiveExceptions, word) ?? word;
}

function own(table: Readonly<Record<string, string>>, word: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(table, word) ? table[word] : undefined;
}
