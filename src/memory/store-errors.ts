/**
 * Whether the store refused a write for its data (it would fail again, however often it is
 * retried) rather than for being unreachable or busy (an outage, worth retrying).
 *
 * Postgres: SQLSTATE classes 22 (data exception: bad encoding, value out of range), 23
 * (integrity) and 54 (limits: a tsvector too long) are the data's fault; connection, resource,
 * operator and internal classes, a missing table, and errors without a SQLSTATE (refused or
 * dropped connections, timeouts) are outages. SQLite: too big, constraint, mismatch and range
 * are the data's; busy, locked, I/O, full and the rest are the store's. A RangeError is thrown
 * by our own mapping of a value (an invalid date), before the store sees it.
 */
export function rejectedForData(error: unknown): boolean {
  if (error instanceof RangeError) {
    return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    return false;
  }
  if (code.startsWith('SQLITE_')) {
    return /^SQLITE_(TOOBIG|CONSTRAINT|MISMATCH|RANGE)/.test(code);
  }
  return /^[0-9A-Z]{5}$/.test(code) && ['22', '23', '54'].includes(code.slice(0, 2));
}
