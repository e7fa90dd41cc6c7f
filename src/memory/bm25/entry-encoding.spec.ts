import { decodeTerms, encodeTerms } from './entry-encoding';
import { spacedTerms } from './testing/reference-bm25';

describe('entry encoding', () => {
  const tf = new Map([
    ['maya', 1.5],
    ['café', 2],
    ['x', 0.25],
    ['often', 37.5],
  ]);

  it('should write an entry compact and read it back', () => {
    const encoded = encodeTerms(tf);
    expect(encoded.startsWith('~')).toBe(true);
    // Length and tf characters instead of a colon, the tf's digits and a space per term.
    expect(encoded.length).toBe(1 + [...tf.keys()].reduce((sum, term) => sum + term.length + 2, 0));
    expect(decodeTerms(encoded)).toEqual(tf);
    expect(decodeTerms(encodeTerms(new Map()))).toEqual(new Map());
  });

  it('should read entries written before as they were', () => {
    expect(decodeTerms(spacedTerms(tf))).toEqual(tf);
    expect(decodeTerms('re:d:0.5 x2:1')).toEqual(
      new Map([
        ['re:d', 0.5],
        ['x2', 1],
      ]),
    );
  });

  it('should fall back to term:tf pairs for a tf or a term the compact form cannot hold', () => {
    for (const odd of [
      new Map([...tf, ['third', 1 / 3]]),
      new Map([...tf, ['w'.repeat(95), 1]]),
      new Map([...tf, ['huge', 20_000]]),
    ]) {
      const encoded = encodeTerms(odd);
      expect(encoded).toBe(spacedTerms(odd));
      expect(decodeTerms(encoded)).toEqual(odd);
    }
  });
});
