import {
  MAX_MEMORY_CHARS,
  metadataProblem,
  storableJson,
  storableText,
  storableTurn,
} from './memory-input';

describe('memory input rules', () => {
  it('should drop NUL and replace lone surrogates, keeping pairs', () => {
    expect(storableText('a\u0000b')).toBe('ab');
    expect(storableText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(storableText('pair \ud83d\ude00 kept')).toBe('pair \ud83d\ude00 kept');
    expect(storableText('end\ud83d')).toBe('end\ufffd');
  });

  it('should clean keys and strings through nested metadata, leaving other values', () => {
    expect(
      storableJson({ 'k\u0000': ['v\u0000', { n: 1, t: true, x: null, s: '\udc00' }] }),
    ).toEqual({ k: ['v', { n: 1, t: true, x: null, s: '\ufffd' }] });
  });

  it('should cut a long turn to the maximum, never inside a surrogate pair, and say so', () => {
    expect(storableTurn('short')).toEqual({ content: 'short' });
    const long = storableTurn('a'.repeat(MAX_MEMORY_CHARS + 10));
    expect(long.content).toHaveLength(MAX_MEMORY_CHARS);
    expect(long.metadata).toEqual({ truncated: true, original_chars: MAX_MEMORY_CHARS + 10 });
    const emoji = storableTurn(`${'a'.repeat(MAX_MEMORY_CHARS - 1)}\ud83d\ude00tail`);
    expect(emoji.content).toBe('a'.repeat(MAX_MEMORY_CHARS - 1));
  });

  it('should bound metadata in size and depth', () => {
    expect(metadataProblem({ ok: 'fine' })).toBeUndefined();
    expect(metadataProblem({ blob: 'x'.repeat(20_000) })).toMatch(/characters/);
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 9; level += 1) {
      deep = { deep };
    }
    expect(metadataProblem(deep)).toMatch(/levels/);
  });
});
