'use strict';
/** The fake OpenAI upstream's `POST /v1/embeddings` vectors. */

// Words with the same meaning share a dimension, so the fake's vectors find paraphrases
// ("puppy" for "dog") that full-text search cannot: enough to show what hybrid ranking adds.
const CONCEPTS = {
  dog: 'dog',
  puppy: 'dog',
  pet: 'dog',
  canine: 'dog',
  hound: 'dog',
  job: 'work',
  work: 'work',
  employer: 'work',
  career: 'work',
  occupation: 'work',
  sister: 'sibling',
  brother: 'sibling',
  sibling: 'sibling',
  city: 'home',
  live: 'home',
  moved: 'home',
  home: 'home',
};
const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'is',
  'my',
  'i',
  'what',
  'to',
  'of',
  'and',
  'do',
  'you',
]);
const DIMENSIONS = 64;

/** A deterministic unit vector: one dimension per concept or word (hashed), counted. */
function embed(text) {
  const vector = new Array(DIMENSIONS).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (STOP_WORDS.has(raw)) continue;
    const word = raw.length > 3 && raw.endsWith('s') ? raw.slice(0, -1) : raw;
    const key = CONCEPTS[word] ?? word;
    let hash = 0;
    for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    vector[hash % DIMENSIONS] += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

module.exports = { embed };
