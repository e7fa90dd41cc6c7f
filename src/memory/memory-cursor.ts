import { MAX_MEMORY_DATE, MIN_MEMORY_DATE } from './memory-input';
import { InvalidCursorError } from './memory.types';

/**
 * Keyset cursor of the memory list: the last row's (created_at, seq), opaque to clients. pg
 * returns bigint as a string and SQLite a number; the cursor carries it as a string.
 */
export function encodeCursor(createdAt: Date, seq: string | number): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), String(seq)])).toString('base64url');
}

/**
 * [created_at ISO string, seq as a decimal string]; InvalidCursorError for anything else. The
 * date must be exactly what encodeCursor writes (so 2026-02-30 or a year 0 never reaches the
 * store) and within the dates a memory can have; seq a safe integer.
 */
export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      canonicalDate(value[0]) &&
      typeof value[1] === 'string' &&
      /^\d{1,15}$/.test(value[1])
    ) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

function canonicalDate(text: string): boolean {
  const time = Date.parse(text);
  return (
    !Number.isNaN(time) &&
    new Date(time).toISOString() === text &&
    time >= MIN_MEMORY_DATE.getTime() &&
    time < MAX_MEMORY_DATE.getTime()
  );
}
