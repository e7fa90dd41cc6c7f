import { DEFAULT_BODY_BOUNDS } from '../validation/body-bounds';
import { JsonBoundsScanner } from '../validation/json-scan';
import { SlicePlan, SlicePlanRecorder } from '../validation/json-slice-plan';
import { parseInSlices, parseStrict } from './json-slices';

/** The plan the reader gets for `text` arriving in chunks of `chunkBytes`. */
function planOf(text: string, groupBytes: number, chunkBytes: number): SlicePlan | undefined {
  const recorder = new SlicePlanRecorder(groupBytes);
  const scanner = new JsonBoundsScanner(DEFAULT_BODY_BOUNDS, recorder);
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    scanner.write(bytes.subarray(at, at + chunkBytes));
  }
  return recorder.plan();
}

type Outcome = { value: unknown; json: string } | { error: string; name: string };

async function outcome(parse: () => unknown): Promise<Outcome> {
  try {
    const value = await parse();
    return { value, json: JSON.stringify(value) };
  } catch (error) {
    return { error: (error as Error).message, name: (error as Error).name };
  }
}

/** Sliced and whole give the same value (key order included) or the same error, at every cut. */
async function expectSameAsJsonParse(text: string, expectPlan = true): Promise<void> {
  const whole = await outcome(() => parseStrict(text));
  for (const groupBytes of [1, 5, 13, 64]) {
    for (const chunkBytes of [1, 3, 17, 1 << 20]) {
      const plan = planOf(text, groupBytes, chunkBytes);
      if (expectPlan && groupBytes === 1) {
        expect(plan).toBeDefined();
      }
      const parse = jest.spyOn(JSON, 'parse');
      const sliced = await outcome(() =>
        plan === undefined ? parseStrict(text) : parseInSlices(Buffer.from(text), plan),
      );
      const parsedWhole = parse.mock.calls.some(([arg]) => arg === text.replace(/^\ufeff/, ''));
      parse.mockRestore();
      expect(sliced).toStrictEqual(whole);
      // A valid body is never parsed whole once it has a plan; an invalid one is, for the error.
      expect(parsedWhole).toBe(plan === undefined || 'error' in whole);
      if ('value' in sliced && 'value' in whole && whole.value !== null) {
        expect(Object.getPrototypeOf(sliced.value)).toBe(Object.getPrototypeOf(whole.value));
      }
    }
  }
}

const messages = (count: number, content: string) =>
  JSON.stringify(
    Array.from({ length: count }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content })),
  );

describe('parseInSlices', () => {
  it('should give what JSON.parse gives for long top-level arrays, cut anywhere', async () => {
    await expectSameAsJsonParse(
      `{"model":"gpt-4o-mini","messages":${messages(40, 'hi, "you" [x] {y}')},"tools":[1,2.5e3,true,null,"a",[],{}],"n":1}`,
    );
    await expectSameAsJsonParse(`\ufeff {"input": [ 1 , 2 ,3,  4 ] , "z" : [[1,2],[3,4],[5]] } `);
  });

  it('should resolve duplicate keys as JSON.parse does: the last one wins', async () => {
    const long = '[1,2,3,4,5,6,7,8,9]';
    for (const text of [
      `{"messages":${long},"messages":[]}`,
      `{"messages":${long},"messages":"x"}`,
      `{"messages":"x","messages":${long}}`,
      `{"messages":${long},"messages":[10,11,12,13,14,15]}`,
      `{"a":1,"messages":${long},"b":2,"messages":${long.replace('1', '0')},"a":3}`,
      `{"m\\u0065ssages":${long},"messages":[]}`,
      `{"messages":[],"m\\u0065ssages":${long}}`,
    ]) {
      await expectSameAsJsonParse(text);
    }
  });

  it('should keep a __proto__ key an own property, as JSON.parse does, never the prototype', async () => {
    await expectSameAsJsonParse('{"__proto__":[1,2,3,4,5,6,7,8],"a":[{"__proto__":{"x":1}},2,3]}');
    const plan = planOf('{"__proto__":[1,2,3,4,5,6,7,8]}', 1, 4);
    const value = (await parseInSlices(Buffer.from('{"__proto__":[1,2,3,4,5,6,7,8]}'), plan!)) as {
      __proto__: unknown;
    };
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('should keep deep nesting, escapes and multi-byte characters at any split', async () => {
    const deep = `${'{"a":['.repeat(30)}1${']}'.repeat(30)}`;
    await expectSameAsJsonParse(
      `{"messages":[${deep},"\\u00e9\\ud83d\\ude00,\\",\\\\","é中😀,[{","a\\\\\\"b",${deep},"\\n\\t\\/"],"k\\u4e2d":"中"}`,
    );
    // Invalid utf-8 bytes decode to U+FFFD whether cut or not.
    const raw = Buffer.concat([
      Buffer.from('{"messages":["a'),
      Buffer.from([0xe4, 0xb8]),
      Buffer.from('",1,"'),
      Buffer.from([0xff]),
      Buffer.from('",2,3,4]}'),
    ]);
    const recorder = new SlicePlanRecorder(1);
    new JsonBoundsScanner(DEFAULT_BODY_BOUNDS, recorder).write(raw);
    expect(await parseInSlices(raw, recorder.plan()!)).toEqual(parseStrict(raw.toString('utf8')));
  });

  it("should throw JSON.parse's own error for invalid bodies, wherever the fault is", async () => {
    for (const text of [
      '{"messages":[1,,2,3,4,5]}',
      '{"messages":[1,2,3,4,5,]}',
      '{"messages":[,1,2,3,4,5]}',
      '{"messages":[1,2,3,4,5}',
      '{"messages":[1,2,3,4,5]',
      '{"messages":[1,2,3,{"a":4],5]}',
      '{"messages":[1,2,3,4,5]}}',
      '{"messages":[1,2,3,4,5]} {"a":[1,2,3]}',
      '{"messages":[1,2,3,4,5],"messages":x}',
      '{"messages":[1,2,3,4 5],"messages":[]}',
      '{"a" "messages":[1,2,3,4,5]}',
      '{"messages":[1,2,3,4,5],}',
      '{"messages":[1,2,"3\u0001",4,5]}',
      '{"messages":[1,2,3,4,5],"tools":[01,2,3,4,5]}',
    ]) {
      const whole = await outcome(() => parseStrict(text));
      expect(whole).toHaveProperty('error');
      await expectSameAsJsonParse(text, false);
    }
  });

  it('should leave bodies without a long top-level array to one JSON.parse', () => {
    expect(planOf('{"messages":[1,2,3]}', 64, 1)).toBeUndefined();
    expect(planOf('[[1,2,3,4,5,6,7,8,9]]', 1, 1)).toBeUndefined();
    expect(planOf('{"metadata":{"a":[1,2,3,4,5,6,7,8,9]}}', 1, 1)).toBeUndefined();
  });
});
