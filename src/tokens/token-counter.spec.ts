import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { boundedTokenCounter, o200kTokenCounter } from './token-counter';

const exact = (text: string) => countTokens(text, { disallowedSpecial: new Set() });
// Texts up to 32,000 characters are counted exactly; the README keeps growing past that size.
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8').slice(0, 30_000);

describe('o200kTokenCounter', () => {
  it.each([
    ['an empty text', ''],
    ['a greeting', 'Hello, world!'],
    ['the README', README],
    ['code', readFileSync(join(__dirname, '../model-selector/model-selector.ts'), 'utf8')],
    ['emoji and CJK', '😀 héllo 漢字テスト '.repeat(500)],
    // Pieces are cut every ~2 KB: never inside indentation or between punctuation and a newline.
    [
      'indented JSON',
      JSON.stringify(
        { messages: Array(200).fill({ role: 'user', content: 'Hi, there.' }) },
        null,
        4,
      ),
    ],
    ['lines ending in punctuation', 'one, two,\nthree;\n\n  four.\n \n'.repeat(400)],
  ])('should count %s exactly as the o200k_base tokenizer', (_name, text) => {
    expect(o200kTokenCounter.count(text)).toBe(exact(text));
  });

  it('should count a special token as plain text instead of throwing', () => {
    expect(o200kTokenCounter.count('end <|endoftext|> here')).toBe(exact('end <|endoftext|> here'));
  });

  it('should estimate a long text within 1% of the exact count', () => {
    const text = proseOf(400_000);
    const estimate = o200kTokenCounter.count(text);
    expect(Math.abs(estimate / exact(text) - 1)).toBeLessThan(0.01);
  });

  it('should count a long run without whitespace quickly and close to exactly', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(1_000);
    const started = Date.now();
    const count = o200kTokenCounter.count(text);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(Math.abs(count / exact(text) - 1)).toBeLessThan(0.05);
  });

  it('should bound the work on a huge hostile text: at most 32,000 characters, in pieces of at most 2,048', () => {
    const letters = 'qwertyuiopasdfghjklzxcvbnm'.repeat(80_000);
    const pieces: number[] = [];
    const counter = boundedTokenCounter((piece) => {
      pieces.push(piece.length);
      return exact(piece);
    });
    const count = counter.count(letters);
    expect(pieces.reduce((sum, length) => sum + length, 0)).toBeLessThanOrEqual(32_000);
    // BPE merging is quadratic in a run without whitespace, so no piece may be long.
    expect(Math.max(...pieces)).toBeLessThanOrEqual(2_048);
    expect(count).toBeGreaterThan(200_000);
    expect(count).toBe(o200kTokenCounter.count(letters));
  });
});

/** Deterministic English-like prose (seeded), so the estimate is judged on a fixed text. */
function proseOf(chars: number): string {
  const words = (
    'the gateway routes each request to a model that fits its context window and price while ' +
    'retries fallbacks and circuit breakers keep answers coming when one upstream fails users ' +
    'send code snippets math questions long documents short greetings and follow up turns ' +
    'about invoices travel plans recipes contracts weather reports and quarterly numbers'
  ).split(' ');
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  let text = '';
  while (text.length < chars) {
    const sentence = Array.from(
      { length: 6 + Math.floor(next() * 14) },
      () => words[Math.floor(next() * words.length)],
    ).join(' ');
    text += `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${next() < 0.2 ? '?\n\n' : '. '}`;
  }
  return text;
}
