import { GatewayException } from '../errors/gateway.exception';
import { BodyBounds, DEFAULT_BODY_BOUNDS, safeKey } from './body-bounds';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SPACE = 0x20;

interface Frame {
  isObject: boolean;
  /** Keys of an object, elements of an array, so far. */
  count: number;
  /** Objects: the next string is a key. Arrays: nothing seen yet. */
  fresh: boolean;
  /** Objects: where the current key's string starts and ends in the buffer. */
  keyStart: number;
  keyEnd: number;
}

/**
 * Checks the raw JSON text against the bounds before JSON.parse sees it: parsing an object of
 * 200,000 keys alone blocks the event loop for a second, so such a body must be refused
 * unparsed. One pass over the bytes, strings skipped; it does not validate the JSON (the parser
 * does that next), it only counts keys, elements, values and depth. Throws the 400, naming the
 * field, for the first bound exceeded.
 */
export function assertJsonWithinBounds(
  text: Buffer,
  bounds: BodyBounds = DEFAULT_BODY_BOUNDS,
): void {
  const stack: Frame[] = [];
  let values = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const byte = text[i];
    if (byte <= SPACE) {
      continue;
    }
    const frame = stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (byte === QUOTE) {
      const start = i;
      i = closingQuote(text, i);
      if (frame?.isObject && frame.fresh) {
        frame.keyStart = start;
        frame.keyEnd = i + 1;
        frame.fresh = false;
      } else if (frame && !frame.isObject && frame.fresh) {
        frame.fresh = false;
        frame.count = 1;
      }
      continue;
    }
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (frame && !frame.isObject && frame.fresh) {
        frame.fresh = false;
        frame.count = 1;
      }
      const isObject = byte === OPEN_OBJECT;
      stack.push({ isObject, count: 0, fresh: true, keyStart: -1, keyEnd: -1 });
      if (stack.length > bounds.maxDepth + 1) {
        throw refusal(text, stack, `is nested more than ${bounds.maxDepth} levels deep`);
      }
      continue;
    }
    if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      stack.pop();
      continue;
    }
    if (frame === undefined) {
      continue;
    }
    if (byte === COLON && frame.isObject) {
      frame.count++;
      values++;
      if (frame.count > bounds.maxKeys) {
        throw refusal(text, stack, `must have at most ${bounds.maxKeys} keys`);
      }
    } else if (byte === COMMA) {
      if (frame.isObject) {
        frame.fresh = true;
      } else {
        frame.count++;
        values++;
        if (frame.count > bounds.maxArrayLength) {
          throw refusal(text, stack, `must contain at most ${bounds.maxArrayLength} elements`);
        }
      }
    } else if (!frame.isObject && frame.fresh) {
      // A number, true, false or null opens the array.
      frame.fresh = false;
      frame.count = 1;
    }
    if (values > bounds.maxValues) {
      throw refusal(text, stack, `makes the body hold more than ${bounds.maxValues} values`);
    }
  }
}

/**
 * body-parser's `verify` hook around the scan. body-parser wraps what it throws (and sets the
 * raw body as the error's `body`), so the refusal travels as `openAiError`, which the
 * exception filter answers as it is.
 */
export function verifyJsonBounds(_request: unknown, _response: unknown, raw: Buffer): void {
  try {
    assertJsonWithinBounds(raw);
  } catch (error) {
    if (!(error instanceof GatewayException)) {
      throw error;
    }
    throw Object.assign(new Error(error.body.message), {
      status: error.getStatus(),
      expose: true,
      type: 'entity.out.of.bounds',
      openAiError: error.body,
    });
  }
}

/** Where the string opened at `open` ends; strings are skipped natively (indexOf), not byte by byte. */
function closingQuote(text: Buffer, open: number): number {
  let end = text.indexOf(QUOTE, open + 1);
  while (end !== -1) {
    let backslashes = 0;
    for (let at = end - 1; text[at] === BACKSLASH; at--) {
      backslashes++;
    }
    if (backslashes % 2 === 0) {
      return end;
    }
    end = text.indexOf(QUOTE, end + 1);
  }
  return text.length;
}

/** The 400, with the path of the innermost container (`messages`, `metadata.a.a`). */
function refusal(text: Buffer, stack: Frame[], problem: string): GatewayException {
  // The container that broke a bound is the top frame; its path is the keys that lead to it.
  const parts: string[] = [];
  const last = stack.length - 1;
  for (let depth = 0; depth < last; depth++) {
    const frame = stack[depth];
    parts.push(frame.isObject ? `.${keyAt(text, frame)}` : `[${Math.max(frame.count - 1, 0)}]`);
  }
  const shown = parts.length > 8 ? [...parts.slice(0, 4), '…', ...parts.slice(-4)] : parts;
  const param = shown.length > 0 ? shown.join('').replace(/^\./, '') : null;
  return GatewayException.invalidRequest(
    param === null ? `The request body ${problem}.` : `Invalid '${param}': ${problem}.`,
    param,
    'invalid_value',
  );
}

function keyAt(text: Buffer, frame: Frame): string {
  if (frame.keyStart < 0) {
    return '?';
  }
  const raw = text.toString('utf8', frame.keyStart, Math.min(frame.keyEnd, frame.keyStart + 200));
  try {
    return safeKey(JSON.parse(raw) as string);
  } catch {
    return safeKey(raw.replace(/^"|"$/g, ''));
  }
}
