import { SqlClient } from './sql-client';

export interface Migration {
  /** Never renamed or edited once released: the id is what marks it applied. */
  id: string;
  sql: string;
}

/** Applied in this order; add new ones at the end. Plain SQL that both Postgres and PGlite run. */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_memories',
    // gen_random_uuid() is core since Postgres 13, so no pgcrypto (PGlite lacks most extensions).
    // created_at is kept to the millisecond so it round-trips exactly through a JS Date, which
    // the list cursor relies on; seq orders rows written in the same millisecond (a batch) in
    // insertion order, where a random uuid would not. The unique key is the dedupe.
    sql: `
      CREATE TABLE memories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant text NOT NULL,
        namespace text NOT NULL,
        role text NOT NULL,
        content text NOT NULL,
        content_hash text NOT NULL,
        model text NULL,
        request_id text NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        search tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
        CONSTRAINT memories_dedupe UNIQUE (tenant, namespace, content_hash, role)
      );
      CREATE INDEX memories_search ON memories USING gin (search);
      CREATE INDEX memories_recent ON memories (tenant, namespace, created_at DESC, seq DESC);
    `,
  },
  {
    id: '0002_memory_embeddings',
    // A plain real[] rather than pgvector's type: PGlite and stock Postgres both have it, and
    // hybrid ranking scores a bounded window of recent memories, which needs no vector index.
    sql: `ALTER TABLE memories ADD COLUMN embedding real[] NULL;`,
  },
  {
    id: '0003_memory_neighbour_context',
    // The turns around a memory, indexed with it at a lower weight: "Maya" alone answers
    // nothing, "What's your sister's name?" before it makes it findable. Measured on the
    // retrieval evaluation (bench/memory): recall@10 0.41 -> 0.48 with no other change.
    sql: `
      ALTER TABLE memories ADD COLUMN context text NULL;
      DROP INDEX memories_search;
      ALTER TABLE memories DROP COLUMN search;
      ALTER TABLE memories ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', content), 'A') ||
        setweight(to_tsvector('english', coalesce(context, '')), 'C')
      ) STORED;
      CREATE INDEX memories_search ON memories USING gin (search);
    `,
  },
  {
    id: '0004_memory_bm25',
    // BM25 over an index of our own, the same on both stores (see bm25/): per-namespace
    // statistics, document frequencies, postings keyed for reading one namespace's terms, and
    // each memory's entry on its row (terms, length) to remove its postings exactly. The
    // tsvector is gone: it ranked without document frequencies or length normalisation.
    sql: `
      DROP INDEX memories_search;
      ALTER TABLE memories DROP COLUMN search;
      ALTER TABLE memories ADD COLUMN terms text NULL;
      ALTER TABLE memories ADD COLUMN dl double precision NOT NULL DEFAULT 0;
      ALTER TABLE memories ADD COLUMN conversation boolean NOT NULL DEFAULT false;
      UPDATE memories SET conversation = true WHERE model IS NOT NULL OR context IS NOT NULL;
      CREATE UNIQUE INDEX memories_seq ON memories (seq);
      CREATE TABLE memory_scopes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant text NOT NULL,
        namespace text NOT NULL,
        docs bigint NOT NULL DEFAULT 0,
        total_length double precision NOT NULL DEFAULT 0,
        UNIQUE (tenant, namespace)
      );
      CREATE TABLE memory_terms (
        scope bigint NOT NULL,
        term text NOT NULL,
        df integer NOT NULL,
        PRIMARY KEY (scope, term)
      );
      CREATE TABLE memory_postings (
        scope bigint NOT NULL,
        term text NOT NULL,
        seq bigint NOT NULL,
        tf double precision NOT NULL,
        dl double precision NOT NULL,
        PRIMARY KEY (scope, term, seq)
      );
    `,
  },
  {
    id: '0005_memory_terms_lemmas',
    // The index is rebuilt at boot (PostgresIndex.indexPending) for a new analysis: irregular
    // forms to their base form (bought -> buy) and one neighbouring turn on each side instead of
    // two. The terms are computed by the application, so a change of them is a re-index.
    sql: `
      DELETE FROM memory_postings;
      DELETE FROM memory_terms;
      UPDATE memory_scopes SET docs = 0, total_length = 0;
      UPDATE memories SET terms = NULL, dl = 0;
    `,
  },
  {
    id: '0006_memory_postings_covering',
    // tf and dl in the key's index: a query's postings are read from the index alone (an
    // index-only scan, contiguous leaf pages) instead of one heap page per posting: at 100k
    // memories, 1000 postings of a term touch 15 pages instead of 518. Index-only scans need
    // the visibility map, so the postings table is vacuumed after 2% new rows rather than 20%.
    sql: `
      ALTER TABLE memory_postings DROP CONSTRAINT memory_postings_pkey;
      ALTER TABLE memory_postings ADD PRIMARY KEY (scope, term, seq) INCLUDE (tf, dl);
      ALTER TABLE memory_postings SET (
        autovacuum_vacuum_insert_scale_factor = 0.02,
        autovacuum_vacuum_scale_factor = 0.05,
        autovacuum_analyze_scale_factor = 0.05
      );
    `,
  },
  {
    id: '0007_memories_unindexed',
    // The rows PostgresIndex.indexPending looks for at every boot: few or none, but found by a
    // scan of the whole table without this (650 ms over 1,000,000 memories).
    sql: `CREATE INDEX memories_unindexed ON memories (tenant, namespace) WHERE terms IS NULL;`,
  },
];

/**
 * Applies the pending migrations in one transaction, so a failure leaves the schema as it was.
 * The advisory lock makes replicas booting together wait for each other instead of racing.
 * Returns the ids applied now (empty when the schema is current).
 */
export async function runMigrations(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  return client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('llm-gateway:memory-migrations'))`);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        id text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((row) => row.id));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) {
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
      applied.push(migration.id);
    }
    return applied;
  });
}
