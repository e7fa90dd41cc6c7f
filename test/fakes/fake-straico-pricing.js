'use strict';
/** How the fake Straico counts words and tokens and prices its answers (reference §7). */

/** Text of a message content: the string, or its text parts joined with newlines. */
function textOf(content) {
  if (typeof content === 'string') {
    return content;
  }
  if (Array.isArray(content)) {
    return content
      .filter((p) => p && p.type === 'text')
      .map((p) => p.text)
      .join('\n');
  }
  return '';
}

function countWords(text) {
  return (text.match(/\S+/g) ?? []).length;
}

function wordsOf(inputText, outputText) {
  const input = countWords(inputText);
  const output = countWords(outputText);
  return { input, output, total: input + output };
}

function coinsPer100(model) {
  const p = model?.pricing;
  return typeof p?.coins === 'number' ? (p.coins * 100) / (p.words || 100) : 0;
}

/** Reference §7: price = round2(words × coins / 100 words), total = input + output. */
function priceOf(model, words) {
  const rate = coinsPer100(model) / 100;
  const input = round2(words.input * rate);
  const output = round2(words.output * rate);
  return { input, output, total: round2(input + output) };
}

function tokensOf(text) {
  return text ? Math.ceil(text.length / 4) : 0;
}

function round2(n) {
  return Math.round(n * 100) / 100;
}

module.exports = { coinsPer100, priceOf, round2, textOf, tokensOf, wordsOf };
