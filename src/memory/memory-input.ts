/**
 * The input rules of the memory store, one set for turns captured from completions and for the
 * management API, so that nothing a client sends can reach the store in a shape it refuses:
 *
 * - NUL characters are removed and lone UTF-16 surrogates replaced by U+FFFD, everywhere text
 *   is kept or searched (content, metadata keys and values, `q`): Postgres text cannot hold
 *   either, and JSON with a lone surrogate is not valid UTF-8.
 * - A memory holds at most MAX_MEMORY_CHARS characters. The API refuses longer content (400);
 *   a captured turn, which cannot be refused, is stored cut to that length with
 *   `metadata.truncated = true` and `metadata.original_chars`.
 * - Metadata is a JSON object of at most MAX_METADATA_CHARS characters, nested at most
 *   MAX_METADATA_DEPTH deep.
 * - Dates (`created_at`) lie between MIN_MEMORY_DATE and MAX_MEMORY_DATE.
 */
export const MAX_MEMORY_CHARS = 32_000;
export const MAX_METADATA_CHARS = 16_000;
export const MAX_METADATA_DEPTH = 8;
export const MIN_MEMORY_DATE = new Date('1970-01-01T00:00:00Z');
export const MAX_MEMORY_DATE = new Date('2100-01-01T00:00:00Z');

// eslint-disable-next-line no-control-regex -- NUL is exactly what this removes
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without NUL, lone surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, (found) => (found === '\u0000' ? '' : '\uFFFD'));
}

/** The same cleaning through a JSON value: object keys and every string. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') {
    return storableText(value);
  }
  if (Array.isArray(value)) {
    return value.map(storableJson);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [storableText(key), storableJson(inner)]),
    );
  }
  return value;
}

/** Why metadata cannot be stored, or undefined when it can. */
export function metadataProblem(metadata: Record<string, unknown>): string | undefined {
  if (deeperThan(metadata, MAX_METADATA_DEPTH)) {
    return `must be nested at most ${MAX_METADATA_DEPTH} levels deep`;
  }
  if (JSON.stringify(metadata).length > MAX_METADATA_CHARS) {
    return `must be at most ${MAX_METADATA_CHARS} characters of JSON`;
  }
  return undefined;
}

/** A captured turn as stored: cleaned, and cut to MAX_MEMORY_CHARS (marked in metadata). */
export function storableTurn(content: string): {
  content: string;
  metadata?: Record<string, unknown>;
} {
  const clean = storableText(content);
  if (clean.length <= MAX_MEMORY_CHARS) {
    return { content: clean };
  }
  let end = MAX_MEMORY_CHARS;
  // Never between the two halves of a surrogate pair.
  if (/[\uD800-\uDBFF]/.test(clean[end - 1])) {
    end -= 1;
  }
  return {
    content: clean.slice(0, end),
    metadata: { truncated: true, original_chars: clean.length },
  };
}

/** Stops descending past the limit, so a hostile nesting costs no more than a legal one. */
function deeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  if (levels === 0) {
    return true;
  }
  return Object.values(value).some((inner) => deeperThan(inner, levels - 1));
}
