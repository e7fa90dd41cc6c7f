import { GatewayException } from '../errors/gateway.exception';
import { DEFAULT_BODY_BOUNDS } from './body-bounds';
import { assertJsonWithinBounds, JsonBoundsScanner } from './json-scan';

type Verdict = { param: string | null; message: string } | undefined;

function refusal(text: string): Verdict {
  return verdictOf(() => assertJsonWithinBounds(Buffer.from(text)));
}

/** The same body fed to one scanner in the given chunks. */
function refusalInChunks(chunks: Buffer[]): Verdict {
  const scanner = new JsonBoundsScanner();
  return verdictOf(() => chunks.forEach((chunk) => scanner.write(chunk)));
}

function verdictOf(scan: () => void): Verdict {
  try {
    scan();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayException);
    const { param, message } = (error as GatewayException).body;
    return { param, message };
  }
}

const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const keys = (count: number) =>
  `{${Array.from({ length: count }, (_, index) => `"k${index}":${index}`).join(',')}}`;

describe('assertJsonWithinBounds', () => {
  it('should let a body within the bounds through, strings with brackets and quotes included', () => {
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: '{[,:"\\\\"]}' }] }],
      metadata: { a: [1, true, null, { b: '\\"' }] },
    });
    expect(refusal(body)).toBeUndefined();
    expect(refusal(`{"extra":${nested(DEFAULT_BODY_BOUNDS.maxDepth)}}`)).toBeUndefined();
    expect(refusal(keys(DEFAULT_BODY_BOUNDS.maxKeys))).toBeUndefined();
  });

  it('should name the field that is nested too deep', () => {
    expect(refusal(`{"model":"m","metadata":${nested(3000)}}`)).toEqual({
      param: 'metadata.a.a.a….a.a.a.a',
      message: expect.stringContaining('nested more than 64 levels'),
    });
    expect(refusal(`{"tools":[${'['.repeat(100)}${']'.repeat(100)}]}`)?.param).toMatch(
      /^tools\[0\]\[0\]/,
    );
  });

  it('should refuse an object with too many keys, naming it (the body itself: null)', () => {
    expect(refusal(keys(1001))).toEqual({
      param: null,
      message: 'The request body must have at most 1000 keys.',
    });
    expect(refusal(`{"model":"m","metadata":${keys(1001)}}`)?.param).toBe('metadata');
  });

  it('should refuse an array with too many elements, counting scalars, strings and containers', () => {
    const many = (item: string) => `{"messages":[${Array(10_001).fill(item).join(',')}]}`;
    for (const item of ['1', '"x"', '{}', '[]', 'null']) {
      expect(refusal(many(item))?.param).toBe('messages');
    }
    expect(refusal(`{"messages":[${Array(10_000).fill('1').join(',')}]}`)).toBeUndefined();
  });

  it('should refuse a body with too many values in all', () => {
    const objects = Array.from({ length: 51 }, () => keys(1000)).join(',');
    expect(refusal(`{"extra":[${objects}]}`)?.message).toContain('more than 50000 values');
  });

  it('should leave malformed JSON to the parser', () => {
    expect(refusal('{"a": [1, 2')).toBeUndefined();
    expect(refusal(']]]}}}')).toBeUndefined();
    expect(refusal('"unterminated')).toBeUndefined();
  });
});

describe('JsonBoundsScanner fed chunk by chunk', () => {
  const deepKey = 'ключ-é中\\"}';
  // [name, body, the param the one-shot scan names (null: the body itself; undefined: accepted)]
  const samples: Array<[string, string, string | null | undefined]> = [
    [
      'a valid body with escapes and multi-byte characters',
      JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'é中😀 "quoted" \\ back\\slash \\\\" {[,:]}' }],
        metadata: { 'clé 中': [1, true, null, { b: '\\"' }] },
      }),
      undefined,
    ],
    [
      'too deep under a multi-byte key',
      `{"model":"m",${JSON.stringify(deepKey)}:${nested(70)}}`,
      '????-??\\"}.a.a.a….a.a.a.a',
    ],
    ['too many keys under a key with escapes', `{"a\\"b\\\\":${keys(1001)}}`, 'a"b\\'],
    ['too many elements', `{"messages":[${Array(10_001).fill('"é"').join(',')}]}`, 'messages'],
    [
      'too many values',
      `{"x":[${Array.from({ length: 51 }, () => keys(1000)).join(',')}]}`,
      'x[49]',
    ],
    [
      'a long key before a deep value',
      `{"${'é'.repeat(300)}":${nested(70)}}`,
      `${'?'.repeat(64)}….a.a.a….a.a.a.a`,
    ],
    ['malformed JSON', '{"a": [1, "2\\', undefined],
  ];

  it.each(samples)(
    'should give %s the verdict of the one-shot scan at every split point',
    (_, text, param) => {
      const bytes = Buffer.from(text);
      const expected = refusal(text);
      expect(expected === undefined ? undefined : expected.param).toBe(param);
      // Long samples: every split point in the first and last 600 bytes, ~300 more between.
      const stride = Math.ceil(bytes.length / 300);
      const points = [...Array(bytes.length + 1).keys()].filter(
        (at) => at < 600 || at > bytes.length - 600 || at % stride === 0,
      );
      for (const at of points) {
        const verdict = refusalInChunks([bytes.subarray(0, at), bytes.subarray(at)]);
        expect({ at, verdict }).toEqual({ at, verdict: expected });
      }
    },
  );

  it.each(samples)('should give %s the verdict of the one-shot scan byte by byte', (_, text) => {
    const bytes = Buffer.from(text);
    const chunks = [...Array(bytes.length).keys()].map((at) => bytes.subarray(at, at + 1));
    expect(refusalInChunks(chunks)).toEqual(refusal(text));
  });

  it('should see a quote after a backslash split from it as escaped, and after two as closing', () => {
    // Escaped, the brackets are text of the string; unescaped, they nest 70 levels deep.
    const deep = Buffer.from('['.repeat(70));
    const escaped = [Buffer.from('{"a":"x\\'), Buffer.from('"'), deep];
    expect(refusalInChunks(escaped)).toBeUndefined();
    const closing = [Buffer.from('{"a":"x\\'), Buffer.from('\\'), Buffer.from('"'), deep];
    expect(refusalInChunks(closing)?.message).toContain('nested more than 64 levels');
  });
});
