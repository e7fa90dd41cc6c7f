import type { SlicePlan } from '../validation/json-slice-plan';

const FIRST_NON_WHITESPACE = /^[ \t\n\r]*([^ \t\n\r]|$)/;

/**
 * As body-parser's strict JSON: an empty body is `{}` (a common client mistake), a leading BOM
 * is dropped, and only an object or an array is a body.
 */
export function parseStrict(raw: string): unknown {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length === 0) {
    return {};
  }
  if (text[0] !== '{' && text[0] !== '[') {
    const first = FIRST_NON_WHITESPACE.exec(text)?.[1];
    if (first !== '{' && first !== '[') {
      throw new SyntaxError(
        `Unexpected token '${first ?? ''}', "${text.slice(0, 16)}" is not valid JSON`,
      );
    }
  }
  return JSON.parse(text) as unknown;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The text did not parse piece by piece: the whole parse gives the answer (or JSON.parse's error). */
class NotSliceable extends Error {}

/**
 * `parseStrict(body)`, piece by piece: the largest valid body (2,048 messages, 8 MB) blocked the
 * event loop for 35–65 ms in one JSON.parse, a giant string and the garbage collection after.
 * The body without the interiors of its long top-level arrays (the skeleton) is parsed first,
 * then each array's elements a group of ~128 KB at a time, with the event loop free between
 * groups, and appended to the array the skeleton holds for them.
 *
 * Same result as one JSON.parse: the skeleton is valid and every group is a valid non-empty
 * list of values exactly when the whole is valid JSON, and duplicate keys resolve as JSON.parse
 * does (the last one wins: a long array whose key comes again later is parsed, then dropped).
 * When any piece fails, the whole body is parsed once to throw JSON.parse's own error.
 */
export async function parseInSlices(
  body: Buffer,
  plan: SlicePlan,
  pause: () => Promise<void> = nextTurn,
): Promise<unknown> {
  try {
    return await parsePieces(body, plan, pause);
  } catch (error) {
    if (!(error instanceof NotSliceable) && !(error instanceof SyntaxError)) {
      throw error;
    }
  }
  return parseStrict(body.toString('utf8'));
}

async function parsePieces(
  body: Buffer,
  { keys, spans }: SlicePlan,
  pause: () => Promise<void>,
): Promise<unknown> {
  const skeleton = parseStrict(skeletonOf(body, spans).toString('utf8'));
  if (skeleton === null || typeof skeleton !== 'object' || Array.isArray(skeleton)) {
    throw new NotSliceable();
  }
  const names = keyNames(body, keys);
  const lastOf = new Map<string, number>();
  names.forEach((name, index) => lastOf.set(name, index));
  for (const span of spans) {
    const name = names[span.key];
    const wins = name !== undefined && lastOf.get(name) === span.key;
    // An own property of what JSON.parse made, `__proto__` included: no setter is reached.
    const target: unknown = wins ? (skeleton as Record<string, unknown>)[name] : [];
    if (!Array.isArray(target) || target.length !== 0) {
      throw new NotSliceable();
    }
    let from = span.open + 1;
    for (const cut of [...span.cuts, span.close]) {
      await pause();
      const items = JSON.parse(`[${body.toString('utf8', from, cut)}]`) as unknown[];
      if (items.length === 0) {
        // `[,` or `,,` or `,]`: an empty piece is no element.
        throw new NotSliceable();
      }
      if (wins) {
        for (const item of items) {
          target.push(item);
        }
      }
      from = cut + 1;
    }
  }
  return skeleton;
}

/** The body with each span's interior left out: `"messages":[]`. */
function skeletonOf(body: Buffer, spans: SlicePlan['spans']): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (const span of spans) {
    if (span.open < from || span.close <= span.open) {
      throw new NotSliceable();
    }
    parts.push(body.subarray(from, span.open + 1));
    from = span.close;
  }
  parts.push(body.subarray(from));
  return Buffer.concat(parts);
}

function keyNames(body: Buffer, keys: number[]): string[] {
  const names: string[] = [];
  for (let index = 0; index < keys.length; index += 2) {
    if (keys[index + 1] < 0) {
      throw new NotSliceable();
    }
    const name: unknown = JSON.parse(body.toString('utf8', keys[index], keys[index + 1]));
    if (typeof name !== 'string') {
      throw new NotSliceable();
    }
    names.push(name);
  }
  return names;
}
