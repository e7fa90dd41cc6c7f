import type { Database } from 'better-sqlite3';

export interface SqliteMigration {
  /** Never renamed or edited once released: the id is what marks it applied. */
  id: string;
  sql: string;
}

/**
 * The embedded store's schema. `seq` is the rowid, so the full-text index (external content,
 * keyed by seq) and the list's keyset order share it. created_at is integer milliseconds since
 * the epoch. The FTS table indexes three columns: `scope` (one token per tenant and namespace,
 * so a search reads only its namespace's postings, however many other namespaces the file
 * holds), `content`, and `context` (the neighbouring turns, weighted lower). 0002 replaces it by
 * the BM25 index both stores share (see bm25/): per-namespace statistics, document frequencies
 * and postings, each memory's entry (`terms`, its length `dl`) kept on its row.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    id: '0001_memories',
    sql: `
      CREATE TABLE memories (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        tenant TEXT NOT NULL,
        namespace TEXT NOT NULL,
        scope TEXT NOT NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        model TEXT NULL,
        request_id TEXT NULL,
        metadata TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        context TEXT NULL,
        embedding BLOB NULL,
        UNIQUE (tenant, namespace, content_hash, role)
      );
      CREATE INDEX memories_recent ON memories (tenant, namespace, created_at DESC, seq DESC);
      CREATE VIRTUAL TABLE memories_fts USING fts5(
        scope, content, context,
        content = 'memories', content_rowid = 'seq',
        tokenize = 'porter unicode61', detail = 'full'
      );
      CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts (rowid, scope, content, context)
        VALUES (new.seq, new.scope, new.content, new.context);
      END;
      CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
        INSERT INTO memories_fts (memories_fts, rowid, scope, content, context)
        VALUES ('delete', old.seq, old.scope, old.content, old.context);
      END;
    `,
  },
  {
    id: '0002_memory_bm25',
    sql: `
      DROP TRIGGER memories_fts_insert;
      DROP TRIGGER memories_fts_delete;
      DROP TABLE memories_fts;
      ALTER TABLE memories ADD COLUMN terms TEXT NULL;
      ALTER TABLE memories ADD COLUMN dl REAL NOT NULL DEFAULT 0;
      ALTER TABLE memories ADD COLUMN conversation INTEGER NOT NULL DEFAULT 0;
      UPDATE memories SET conversation = 1 WHERE model IS NOT NULL OR context IS NOT NULL;
      CREATE TABLE memory_scopes (
        id INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        namespace TEXT NOT NULL,
        docs INTEGER NOT NULL DEFAULT 0,
        total_length REAL NOT NULL DEFAULT 0,
        UNIQUE (tenant, namespace)
      );
      CREATE TABLE memory_terms (
        scope INTEGER NOT NULL,
        term TEXT NOT NULL,
        df INTEGER NOT NULL,
        PRIMARY KEY (scope, term)
      ) WITHOUT ROWID;
      CREATE TABLE memory_postings (
        scope INTEGER NOT NULL,
        term TEXT NOT NULL,
        seq INTEGER NOT NULL,
        tf REAL NOT NULL,
        dl REAL NOT NULL,
        PRIMARY KEY (scope, term, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    id: '0003_memory_terms_lemmas',
    // The index is rebuilt at boot (SqliteIndex.indexPending) for a new analysis: irregular
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
    id: '0004_memories_unindexed',
    // The rows SqliteIndex.indexPending looks for at every open: few or none, but found by a
    // scan of the whole table without this.
    sql: `CREATE INDEX memories_unindexed ON memories (tenant, namespace) WHERE terms IS NULL;`,
  },
];

/** Applies the pending migrations in one transaction; returns the ids applied now. */
export function runSqliteMigrations(
  db: Database,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
): string[] {
  return db
    .transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id TEXT PRIMARY KEY,
      applied_at INTEGER NOT NULL
    )`);
      const done = new Set(
        (db.prepare('SELECT id FROM schema_migrations').all() as Array<{ id: string }>).map(
          (row) => row.id,
        ),
      );
      const applied: string[] = [];
      const mark = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
      for (const migration of migrations) {
        if (!done.has(migration.id)) {
          db.exec(migration.sql);
          mark.run(migration.id, Date.now());
          applied.push(migration.id);
        }
      }
      return applied;
    })
    .immediate();
}
