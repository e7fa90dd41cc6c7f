import { GatewayException } from '../errors/gateway.exception';
import { BodyBounds, DEFAULT_BODY_BOUNDS, safeKey } from './body-bounds';
import type { SlicePlanRecorder } from './json-slice-plan';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SPACE = 0x20;
/** Bytes of a key kept for an error message; safeKey cuts a longer one anyway. */
const KEY_BYTES_KEPT = 200;

interface Frame {
  isObject: boolean;
  /** Keys of an object, elements of an array, so far. */
  count: number;
  /** Objects: the next string is a key. Arrays: nothing seen yet. */
  fresh: boolean;
  /**
   * Objects: the current key's text, as a range of the chunk it was read in (no copy per key);
   * a key split across chunks is copied into a buffer of its own. keyEnd -1: not closed yet.
   */
  keyChunk: Buffer | undefined;
  keyStart: number;
  keyEnd: number;
}

/**
 * Checks the raw JSON text against the bounds before JSON.parse sees it: parsing an object of
 * 200,000 keys alone blocks the event loop for a second, so such a body must be refused
 * unparsed. One pass over the bytes, strings skipped natively (indexOf); it does not validate the
 * JSON (the parser does that next), it only counts keys, elements, values and depth, and throws
 * the 400, naming the field, for the first bound exceeded.
 *
 * Incremental: `write` takes the body chunk by chunk as it arrives (a string, an escape or a
 * multi-byte character may be split anywhere), so that no step costs more than its chunk and a
 * hostile body is refused before the rest of it is read.
 */
export class JsonBoundsScanner {
  private readonly stack: Frame[] = [];
  private values = 0;
  private inString = false;
  /** In a string: backslashes that ended the previous chunks (only their parity matters). */
  private pendingBackslashes = 0;
  /** The object whose key string is open, if the open string is a key. */
  private keyFrame: Frame | undefined;
  /** Bytes of the body in the chunks before this one. */
  private consumed = 0;

  constructor(
    private readonly bounds: BodyBounds = DEFAULT_BODY_BOUNDS,
    /** Told where the top-level keys and the commas of their arrays are, to parse in slices. */
    private readonly recorder?: SlicePlanRecorder,
  ) {}

  write(chunk: Buffer): void {
    const { stack, bounds, recorder, consumed } = this;
    const length = chunk.length;
    // Before the loop: a chunk refused half-way is never written again.
    this.consumed += length;
    let i = this.inString ? this.skipString(chunk, 0) : 0;
    for (; i < length; i++) {
      const byte = chunk[i];
      if (byte <= SPACE) {
        continue;
      }
      const frame = stack.length > 0 ? stack[stack.length - 1] : undefined;
      if (byte === QUOTE) {
        if (frame?.isObject && frame.fresh) {
          frame.keyChunk = chunk;
          frame.keyStart = i;
          frame.keyEnd = -1;
          frame.fresh = false;
          this.keyFrame = frame;
          if (recorder !== undefined && stack.length === 1) {
            recorder.key(consumed + i);
          }
        } else if (frame && !frame.isObject && frame.fresh) {
          frame.fresh = false;
          frame.count = 1;
        }
        this.inString = true;
        this.pendingBackslashes = 0;
        i = this.skipString(chunk, i + 1) - 1;
        continue;
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        if (frame && !frame.isObject && frame.fresh) {
          frame.fresh = false;
          frame.count = 1;
        }
        const isObject = byte === OPEN_OBJECT;
        stack.push({
          isObject,
          count: 0,
          fresh: true,
          keyChunk: undefined,
          keyStart: -1,
          keyEnd: -1,
        });
        if (stack.length > bounds.maxDepth + 1) {
          throw this.refusal(`is nested more than ${bounds.maxDepth} levels deep`);
        }
        if (recorder !== undefined && !isObject && stack.length === 2 && stack[0].isObject) {
          recorder.openArray(consumed + i);
        }
        continue;
      }
      if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        if (recorder !== undefined && stack.length === 2) {
          recorder.closeArray(consumed + i);
        }
        stack.pop();
        continue;
      }
      if (frame === undefined) {
        continue;
      }
      if (byte === COLON && frame.isObject) {
        if (recorder !== undefined && stack.length === 1) {
          recorder.colon(consumed + i);
        }
        frame.count++;
        this.values++;
        if (frame.count > bounds.maxKeys) {
          throw this.refusal(`must have at most ${bounds.maxKeys} keys`);
        }
      } else if (byte === COMMA) {
        if (frame.isObject) {
          frame.fresh = true;
        } else {
          if (recorder !== undefined && stack.length === 2) {
            recorder.comma(consumed + i);
          }
          frame.count++;
          this.values++;
          if (frame.count > bounds.maxArrayLength) {
            throw this.refusal(`must contain at most ${bounds.maxArrayLength} elements`);
          }
        }
      } else if (!frame.isObject && frame.fresh) {
        // A number, true, false or null opens the array.
        frame.fresh = false;
        frame.count = 1;
      }
      if (this.values > bounds.maxValues) {
        throw this.refusal(`makes the body hold more than ${bounds.maxValues} values`);
      }
    }
  }

  /**
   * Inside a string from `from`: the index just past its closing quote, or the chunk's length
   * when the string goes on in the next chunk.
   */
  private skipString(chunk: Buffer, from: number): number {
    let end = chunk.indexOf(QUOTE, from);
    while (end !== -1) {
      let at = end - 1;
      while (at >= from && chunk[at] === BACKSLASH) {
        at--;
      }
      const backslashes = end - 1 - at + (at < from ? this.pendingBackslashes : 0);
      if (backslashes % 2 === 0) {
        this.inString = false;
        this.closeKey(chunk, end + 1);
        return end + 1;
      }
      end = chunk.indexOf(QUOTE, end + 1);
    }
    let at = chunk.length - 1;
    while (at >= from && chunk[at] === BACKSLASH) {
      at--;
    }
    const trailing = chunk.length - 1 - at;
    this.pendingBackslashes = at < from ? this.pendingBackslashes + trailing : trailing;
    this.carryKey(chunk);
    return chunk.length;
  }

  private closeKey(chunk: Buffer, end: number): void {
    const frame = this.keyFrame;
    if (frame === undefined) {
      return;
    }
    this.keyFrame = undefined;
    if (frame.keyChunk === chunk) {
      frame.keyEnd = end;
      return;
    }
    // The key began in an earlier chunk: its start was copied by carryKey.
    this.appendKey(frame, chunk.subarray(0, end));
    frame.keyEnd = frame.keyChunk!.length;
  }

  /** The chunk ends inside a key: what is needed of it is copied, the chunk is not kept. */
  private carryKey(chunk: Buffer): void {
    const frame = this.keyFrame;
    if (frame === undefined) {
      return;
    }
    if (frame.keyChunk === chunk) {
      const end = Math.min(chunk.length, frame.keyStart + KEY_BYTES_KEPT);
      frame.keyChunk = Buffer.from(chunk.subarray(frame.keyStart, end));
      frame.keyStart = 0;
      return;
    }
    this.appendKey(frame, chunk);
  }

  private appendKey(frame: Frame, part: Buffer): void {
    const kept = frame.keyChunk!;
    const room = KEY_BYTES_KEPT - kept.length;
    if (room > 0) {
      frame.keyChunk = Buffer.concat([kept, part.subarray(0, room)]);
    }
  }

  /** The 400, with the path of the innermost container (`messages`, `metadata.a.a`). */
  private refusal(problem: string): GatewayException {
    // The container that broke a bound is the top frame; its path is the keys that lead to it.
    const { stack } = this;
    const parts: string[] = [];
    const last = stack.length - 1;
    for (let depth = 0; depth < last; depth++) {
      const frame = stack[depth];
      parts.push(frame.isObject ? `.${keyOf(frame)}` : `[${Math.max(frame.count - 1, 0)}]`);
    }
    const shown = parts.length > 8 ? [...parts.slice(0, 4), '…', ...parts.slice(-4)] : parts;
    const param = shown.length > 0 ? shown.join('').replace(/^\./, '') : null;
    return GatewayException.invalidRequest(
      param === null ? `The request body ${problem}.` : `Invalid '${param}': ${problem}.`,
      param,
      'invalid_value',
    );
  }
}

/** The whole body at once (bodies that did not arrive through the incremental reader). */
export function assertJsonWithinBounds(
  text: Buffer,
  bounds: BodyBounds = DEFAULT_BODY_BOUNDS,
): void {
  new JsonBoundsScanner(bounds).write(text);
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
    throw asBodyError(error);
  }
}

/** A refusal in the shape of body-parser's errors, which the exception filter answers as it is. */
export function asBodyError(error: unknown): unknown {
  if (!(error instanceof GatewayException)) {
    return error;
  }
  return Object.assign(new Error(error.body.message), {
    status: error.getStatus(),
    expose: true,
    type: 'entity.out.of.bounds',
    openAiError: error.body,
  });
}

function keyOf(frame: Frame): string {
  if (frame.keyChunk === undefined || frame.keyStart < 0) {
    return '?';
  }
  const { keyChunk, keyStart } = frame;
  const end = Math.min(
    frame.keyEnd < 0 ? keyChunk.length : frame.keyEnd,
    keyStart + KEY_BYTES_KEPT,
  );
  const raw = keyChunk.toString('utf8', keyStart, end);
  try {
    return safeKey(JSON.parse(raw) as string);
  } catch {
    return safeKey(raw.replace(/^"|"$/g, ''));
  }
}
