/**
 * Top-level arrays longer than this are serialised this many items at a time, yielding to the
 * event loop between slices. Ordinary bodies take the one-call path.
 */
const SLICE_ITEMS = 256;

/** Sent as is: a string, or the parts of a large body with their total length. */
export type SerializedBody = string | Buffer[];

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The JSON of a request body for an upstream, as JSON.stringify gives it, except that a large
 * body comes as parts (its long top-level arrays last: key order carries no meaning in a JSON
 * object). The largest valid body (2,048 messages, 8 MB) blocked the event loop in one
 * JSON.stringify and again when its 8 MB string was encoded to be written; its slices of ~1 MB
 * are serialised and encoded one at a time, with the event loop free between them, and never
 * joined into one string.
 */
export async function serializeBody(body: object): Promise<SerializedBody> {
  const record = body as Record<string, unknown>;
  let large: string[] | undefined;
  for (const key in record) {
    const value = record[key];
    if (Array.isArray(value) && value.length > SLICE_ITEMS) {
      (large ??= []).push(key);
    }
  }
  if (large === undefined || Array.isArray(body)) {
    return JSON.stringify(body);
  }
  const rest: Record<string, unknown> = { ...record };
  for (const key of large) {
    delete rest[key];
  }
  const head = JSON.stringify(rest);
  const parts = [Buffer.from(head.slice(0, -1))];
  let separator = head.length > 2 ? ',' : '';
  for (const key of large) {
    const items = record[key] as unknown[];
    parts.push(Buffer.from(`${separator}${JSON.stringify(key)}:[`));
    for (let offset = 0; offset < items.length; offset += SLICE_ITEMS) {
      if (offset > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        parts.push(Buffer.from(','));
      }
      const slice = JSON.stringify(items.slice(offset, offset + SLICE_ITEMS));
      parts.push(Buffer.from(slice.slice(1, -1)));
    }
    parts.push(Buffer.from(']'));
    separator = ',';
  }
  parts.push(Buffer.from('}'));
  return parts;
}

/** The headers a body in parts needs: its length, or it would go chunked. */
export function serializedBodyHeaders(body: SerializedBody): Readonly<Record<string, string>> {
  if (typeof body === 'string') {
    return NO_HEADERS;
  }
  let length = 0;
  for (const part of body) {
    length += part.length;
  }
  return { 'content-length': String(length) };
}
