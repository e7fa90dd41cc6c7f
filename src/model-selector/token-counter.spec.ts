import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { o200kTokenCounter } from './token-counter';

const exact = (text: string) => countTokens(text, { disallowedSpecial: new Set() });
const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

describe('o200kTokenCounter', () => {
  it.each([
    ['an empty text', ''],
    ['a greeting', 'Hello, world!'],
    ['the README', README],
    ['code', readFileSync(join(__dirname, 'model-selector.ts'), 'utf8')],
    ['emoji and CJK', '😀 héllo 漢字テスト '.repeat(500)],
  ])('should count %s exactly as the o200k_base tokenizer', (_name, text) => {
    expect(o200kTokenCounter.count(text)).toBe(exact(text));
  });

  it('should count a special token as plain text instead of throwing', () => {
    expect(o200kTokenCounter.count('end <|endoftext|> here')).toBe(exact('end <|endoftext|> here'));
  });

  it('should estimate a long text within 1% of the exact count', () => {
    const text = README.repeat(40);
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

  it('should bound the work on a huge hostile text', () => {
    const letters = Array.from({ length: 2_000_000 }, (_, index) =>
      String.fromCharCode(97 + ((index * 7919) % 26)),
    ).join('');
    const started = Date.now();
    const count = o200kTokenCounter.count(letters);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(count).toBeGreaterThan(200_000);
  });
});
