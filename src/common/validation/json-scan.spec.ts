import { GatewayException } from '../errors/gateway.exception';
import { DEFAULT_BODY_BOUNDS } from './body-bounds';
import { assertJsonWithinBounds } from './json-scan';

function refusal(text: string): { param: string | null; message: string } | undefined {
  try {
    assertJsonWithinBounds(Buffer.from(text));
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
