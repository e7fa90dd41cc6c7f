import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** CI exports DATABASE_URL (.ci/run); MEMORY_TEST_DATABASE_URL overrides it for these suites. */
export const POSTGRES_URL =
  process.env.MEMORY_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

export interface PostgresSchema {
  schema: string;
  /** DATABASE_URL for the gateway, confined to the schema. */
  url: string;
  /** The same, through another port on loopback (a proxy in front of Postgres). */
  urlVia(port: number): string;
  drop(): Promise<void>;
}

/** Where POSTGRES_URL points, for a proxy to forward to. */
export function postgresTarget(): { host: string; port: number } {
  const url = new URL(POSTGRES_URL);
  return { host: url.hostname, port: Number(url.port || 5432) };
}

function withSearchPath(base: string, schema: string): string {
  // Built by hand: URLSearchParams would encode the space as '+', which libpq-style parsers vary on.
  const options = encodeURIComponent(`-c search_path=${schema}`);
  return `${base}${base.includes('?') ? '&' : '?'}options=${options}`;
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') {
    parsed.password = '***';
  }
  return parsed.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  // A connection that dies while idle would otherwise crash the test process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A fresh schema on the test server, so runs and suites never see each other's rows. CI has
 * Postgres, so an unreachable server fails the suite rather than skipping it: a skip would let
 * the Postgres half of the memory tests silently stop running.
 */
export async function createPostgresSchema(): Promise<PostgresSchema> {
  const schema = `memory_e2e_${randomBytes(6).toString('hex')}`;
  try {
    await adminQuery(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    throw new Error(
      `Postgres is not reachable at ${redacted(POSTGRES_URL)} (${(error as Error).message}). ` +
        'Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` ' +
        '(or any Postgres with trust auth and a database named test), or point ' +
        'MEMORY_TEST_DATABASE_URL at another server.',
    );
  }
  return {
    schema,
    url: withSearchPath(POSTGRES_URL, schema),
    urlVia(port) {
      const base = new URL(POSTGRES_URL);
      base.hostname = '127.0.0.1';
      base.port = String(port);
      return withSearchPath(base.toString(), schema);
    },
    drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}
