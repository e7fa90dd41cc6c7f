import { decodeTerms, encodeTerms, ownTerms } from './entry-encoding';
import { spacedTerms } from './testing/reference-bm25';

describe('entry encoding', () => {
  const tf = new Map([
    ['maya', 1.5],
    ['café', 2],
    ['x', 0.25],
    ['often', 37.5],
  ]);

  it('should write an entry compact and read it back, its own counts too', () => {
    const own = new Map([
      ['maya', 1],
      ['often', 30],
    ]);
    const encoded = encodeTerms(tf, own);
    expect(encoded.startsWith('~')).toBe(true);
    // Length, own count and tf characters instead of a colon, the tf's digits and a space.
    expect(encoded.length).toBe(1 + [...tf.keys()].reduce((sum, term) => sum + term.length + 3, 0));
    expect(decodeTerms(encoded)).toEqual(tf);
    expect(ownTerms(encoded)).toEqual(own);
    expect(decodeTerms(encodeTerms(new Map()))).toEqual(new Map());
  });

  it('should come to the end of a damaged compact entry', () => {
    // A length character below the base would step back to where it started, forever.
    expect(decodeTerms('~\u001dab').size).toBeLessThanOrEqual(2);
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
