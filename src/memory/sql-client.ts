import { PGlite, Transaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { Pool, PoolClient, PoolConfig } from 'pg';

/**
 * The little the memory store needs from Postgres, so the same parameterised SQL ($1...) runs on
 * embedded PGlite and on a real server. Drivers differ in how they return some types (pg gives
 * bigint as a string), so queries cast counts to int.
 */
export interface SqlQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  /**
   * Runs `fn` on one connection inside BEGIN/COMMIT, rolled back if it throws. Needed because a
   * pool would send a bare BEGIN and the statements after it to different connections.
   */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PGlite's in-memory mode, for tests. */
export const PGLITE_IN_MEMORY = 'memory://';

/** `dataDir` is a directory (created if missing) or `memory://`. */
export async function createPgliteClient(dataDir: string): Promise<SqlClient> {
  if (dataDir !== PGLITE_IN_MEMORY) {
    mkdirSync(dataDir, { recursive: true });
  }
  const db = await PGlite.create(dataDir);
  const wrap = (target: PGlite | Transaction): SqlQueryable => ({
    query: async <T>(sql: string, params?: unknown[]) => {
      const result = await target.query<T>(sql, params);
      return { rows: result.rows };
    },
    exec: async (sql: string) => {
      await target.exec(sql);
    },
  });
  return {
    ...wrap(db),
    // PGlite has a single connection; its transaction() holds it so other queries wait.
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}

/**
 * node-postgres pool. `overrides` adds pool settings (tests set `options` to a search_path).
 * A pooled connection that dies while idle is reported to `onIdleError`: without a listener
 * pg's 'error' event would crash the process, and the pool replaces the connection anyway.
 */
export function createPgClient(
  url: string,
  overrides: Omit<PoolConfig, 'connectionString'> = {},
  onIdleError: (error: Error) => void = () => undefined,
): SqlClient {
  const pool = new Pool({ connectionString: url, max: 10, ...overrides });
  pool.on('error', onIdleError);
  const wrap = (target: Pool | PoolClient): SqlQueryable => ({
    query: async <T>(sql: string, params?: unknown[]) => {
      const result = await target.query(sql, params);
      return { rows: result.rows as T[] };
    },
    exec: async (sql: string) => {
      await target.query(sql);
    },
  });
  return {
    ...wrap(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = await client.query('ROLLBACK').then(
          () => undefined,
          (rollbackError: Error) => rollbackError,
        );
        throw error;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it, don't reuse it.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
