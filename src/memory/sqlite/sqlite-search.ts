import { createHash } from 'node:crypto';

/**
 * The token naming a tenant's namespace on each row (the `scope` column, kept from the FTS5
 * index of 0001). A hash, so names of any shape make one plain token.
 */
export function scopeToken(tenant: string, namespace: string): string {
  return `s${createHash('sha256').update(`${tenant}\u0000${namespace}`).digest('hex').slice(0, 24)}`;
}
