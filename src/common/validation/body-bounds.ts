import { GatewayException } from '../errors/gateway.exception';

/**
 * What one JSON body may hold before anything else looks at it. OpenAI's own limits where it
 * has them (2,048 messages, 128 tools); elsewhere well beyond any real request, yet small
 * enough that walking, validating and forwarding the largest allowed body stays in the
 * low milliseconds. Beyond them a body is refused with 400 naming the field.
 */
export interface BodyBounds {
  /** Nesting of objects and arrays; a JSON Schema in `tools` or `response_format` needs ~25. */
  maxDepth: number;
  /** Keys of any one object (the body itself included). */
  maxKeys: number;
  /** Elements of any one array without a limit of its own. */
  maxArrayLength: number;
  /** Keys and array elements in the whole body (JSON.parse takes ~1 ms per 1,000). */
  maxValues: number;
  /** Arrays with a tighter limit of their own, by top-level field. */
  fieldArrayLimits: ReadonlyMap<string, number>;
}

export const DEFAULT_BODY_BOUNDS: BodyBounds = {
  maxDepth: 64,
  maxKeys: 1_000,
  maxArrayLength: 10_000,
  maxValues: 50_000,
  fieldArrayLimits: new Map(),
};

/**
 * Walks the parsed body once, iteratively (no recursion, so no depth can overflow the stack),
 * and throws the 400 for the first bound it exceeds. Cost: linear in the size of the body,
 * and it stops at the first object or array that is too large before looking inside it.
 */
export function assertWithinBounds(body: unknown, bounds: BodyBounds = DEFAULT_BODY_BOUNDS): void {
  if (body === null || typeof body !== 'object') {
    return;
  }
  // Paths are built only when a bound is exceeded: the stack keeps each value's parent link.
  const stack: Frame[] = [{ value: body, depth: 0, parent: undefined, key: '' }];
  let values = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    if (depth > bounds.maxDepth) {
      throw tooLarge(frame, `is nested more than ${bounds.maxDepth} levels deep`);
    }
    if (Array.isArray(value)) {
      const max =
        (depth === 1 && bounds.fieldArrayLimits.get(frame.key as string)) || bounds.maxArrayLength;
      if (value.length > max) {
        throw tooLarge(frame, `must contain at most ${max} elements, got ${value.length}`);
      }
      values += value.length;
      if (values > bounds.maxValues) {
        throw tooLarge(frame, `makes the body hold more than ${bounds.maxValues} values`);
      }
      for (let index = value.length - 1; index >= 0; index--) {
        const item: unknown = value[index];
        if (item !== null && typeof item === 'object') {
          stack.push({ value: item, depth: depth + 1, parent: frame, key: index });
        }
      }
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > bounds.maxKeys) {
      throw tooLarge(frame, `must have at most ${bounds.maxKeys} keys, got ${keys.length}`);
    }
    values += keys.length;
    if (values > bounds.maxValues) {
      throw tooLarge(frame, `makes the body hold more than ${bounds.maxValues} values`);
    }
    for (let index = keys.length - 1; index >= 0; index--) {
      const item: unknown = (value as Record<string, unknown>)[keys[index]];
      if (item !== null && typeof item === 'object') {
        stack.push({ value: item, depth: depth + 1, parent: frame, key: keys[index] });
      }
    }
  }
}

interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

function tooLarge(frame: Frame, problem: string): GatewayException {
  const param = pathOf(frame);
  return GatewayException.invalidRequest(
    param === null ? `The request body ${problem}.` : `Invalid '${param}': ${problem}.`,
    param,
    'invalid_value',
  );
}

/** `messages[3].content[0]`, capped so that a deep path cannot make a huge error message. */
function pathOf(frame: Frame): string | null {
  const parts: string[] = [];
  for (let at: Frame | undefined = frame; at?.parent !== undefined; at = at.parent) {
    parts.push(typeof at.key === 'number' ? `[${at.key}]` : `.${safeKey(at.key)}`);
  }
  if (parts.length === 0) {
    return null;
  }
  const ordered = parts.reverse();
  const shown = ordered.length > 8 ? [...ordered.slice(0, 4), '…', ...ordered.slice(-4)] : ordered;
  return shown.join('').replace(/^\./, '');
}

/** A key as it may appear in an error message: printable, and short. */
export function safeKey(key: string): string {
  const printable = key.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}…` : printable;
}
