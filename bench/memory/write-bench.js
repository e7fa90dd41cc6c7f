'use strict';
/**
 * Sustained write rate of each memory store, through the build's repositories as the gateway's
 * writer uses them: one write is a completion's two turns (the user turn with the turn before
 * as context, and the answer) in one namespace among many; writes are committed BATCH_WRITES per
 * transaction (the writer's batching) and, for comparison, one per transaction.
 *
 *   npm run bench:memory:writes            WRITES=10000  DATABASE_URL=postgres://...
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {
  DEFAULT_DATABASE_URL,
  adminQuery,
  requireDist,
  schemaName,
  withSearchPath,
} = require('./common');

const WRITES = Number(process.env.WRITES ?? 10000);
const BATCH_WRITES = 64;
const NAMESPACES = 50;
const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const WORDS = 'garden kayak sister recipe train budget doctor guitar holiday novel paint'.split(' ');

function write(n) {
  const words = (k) => Array.from({ length: 25 }, (_, i) => WORDS[(n * k + i * 3) % WORDS.length]);
  return {
    tenant: `key:bench-${n % 3}`,
    namespace: `ns-${n % NAMESPACES}`,
    items: [
      { content: `turn ${n}: ${words(7).join(' ')}`, role: 'user', context: words(5).join(' ') },
      { content: `answer ${n}: ${words(11).join(' ')}`, role: 'assistant' },
    ],
  };
}

async function rate(repo, batchSize, offset) {
  const started = performance.now();
  for (let i = 0; i < WRITES; i += batchSize) {
    const batch = [];
    for (let j = i; j < Math.min(i + batchSize, WRITES); j += 1) batch.push(write(offset + j));
    await repo.addBatch(batch);
  }
  return Math.round(WRITES / ((performance.now() - started) / 1000));
}

async function measure(store, repo) {
  const batched = await rate(repo, BATCH_WRITES, 0);
  const single = await rate(repo, 1, WRITES);
  console.log(
    JSON.stringify({
      store,
      writes: WRITES,
      memoriesPerWrite: 2,
      writesPerSecondBatched: batched,
      writesPerSecondOnePerTransaction: single,
    }),
  );
}

async function main() {
  const { openSqliteDatabase } = requireDist('memory/sqlite/sqlite-database.js');
  const { runSqliteMigrations } = requireDist('memory/sqlite/sqlite-schema.js');
  const { SqliteMemoryRepository } = requireDist('memory/sqlite/sqlite-memory.repository.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-write-bench-'));
  const db = openSqliteDatabase(dir);
  try {
    runSqliteMigrations(db);
    await measure('sqlite', new SqliteMemoryRepository(db));
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const { createPgClient } = requireDist('memory/sql-client.js');
  const { runMigrations } = requireDist('memory/migrations.js');
  const { PostgresMemoryRepository } = requireDist('memory/memory.repository.js');
  const schema = schemaName('memory_write_bench');
  await adminQuery(DATABASE_URL, `CREATE SCHEMA ${schema}`);
  const sql = createPgClient(withSearchPath(DATABASE_URL, schema));
  try {
    await runMigrations(sql);
    await measure('postgres', new PostgresMemoryRepository(sql));
  } finally {
    await sql.close();
    await adminQuery(DATABASE_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
