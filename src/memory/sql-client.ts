import { Pool, PoolClient, PoolConfig } from 'pg';

/**
 * The little the Postgres memory store needs from its driver. pg returns bigint as a string, so
 * queries cast counts to int.
 */
export interface SqlQueryable {
  /** `name`: a prepared statement, planned once per connection (the same `sql` every time). */
  query<T>(sql: string, params?: unknown[], name?: string): Promise<{ rows: T[] }>;
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
    query: async <T>(sql: string, params?: unknown[], name?: string) => {
      const result = await (name === undefined
        ? target.query(sql, params)
        : target.query({ name, text: sql, values: params }));
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
      // A checked-out client has no pool listener: a connection dying mid-transaction would
      // otherwise be an unhandled 'error' event; the pending query rejects with it anyway.
      const ignore = () => undefined;
      client.on('error', ignore);
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
        client.removeListener('error', ignore);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
