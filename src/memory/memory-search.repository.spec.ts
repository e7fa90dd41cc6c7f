import { randomBytes } from 'node:crypto';

import { PostgresMemoryRepository } from './memory.repository';
import { MemoryRepository, NewMemory } from './memory.types';
import { runMigrations } from './migrations';
import { createPgClient, SqlClient } from './sql-client';
import { openSqliteDatabase, SQLITE_IN_MEMORY } from './sqlite/sqlite-database';
import { SqliteMemoryRepository } from './sqlite/sqlite-memory.repository';
import { runSqliteMigrations } from './sqlite/sqlite-schema';

const POSTGRES_URL =
  process.env.MEMORY_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

const WORDS = (
  'sister brother dog cat chess hiking paris berlin coffee tea guitar piano doctor teacher ' +
  'garden rain birthday wedding marathon novel kitchen bicycle Maya Tom'
).split(' ');
const T0 = Date.parse('2026-01-05T09:00:00Z');

/** A deterministic namespace: conversations (sessions a day apart) and standalone facts. */
function memories(): NewMemory[][] {
  let seed = 7;
  const pick = () => WORDS[(seed = (seed * 48271) % 2147483647) % WORDS.length];
  const batches: NewMemory[][] = [];
  for (let session = 0; session < 12; session++) {
    batches.push(
      Array.from({ length: 10 }, (_, turn) => ({
        content: `${pick()} and ${pick()}, then the ${pick()}${turn % 3 === 0 ? ` ${pick()}` : ''}.`,
        role: turn % 2 === 0 ? 'user' : 'assistant',
        conversation: true,
        createdAt: new Date(T0 + session * 86_400_000 + turn * 45_000),
      })),
    );
  }
  batches.push(
    Array.from({ length: 15 }, (_, i) => ({
      content: `Fact ${i}: my ${pick()} likes ${pick()}.`,
      createdAt: new Date(T0 + i * 3_600_000),
    })),
  );
  return batches;
}

const QUERIES = [
  "What is my sister's name?",
  'Tell me about Maya and the dog',
  'coffee or tea',
  'Did Tom run the marathon in Berlin?',
  'hiking garden rain birthday',
  'piano',
  'What does my cat like?',
  // WordNet expansion (beverage -> coffee, tea) and feedback terms: still the same on both.
  'Which beverage did my sibling drink?',
];

describe('BM25 search on both stores', () => {
  const schema = `memory_test_${randomBytes(6).toString('hex')}`;
  let admin: SqlClient;
  let pg: SqlClient;
  const stores: Array<{ name: string; repo: MemoryRepository; budgeted: MemoryRepository }> = [];

  beforeAll(async () => {
    admin = createPgClient(POSTGRES_URL, { max: 1, connectionTimeoutMillis: 5000 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    pg = createPgClient(POSTGRES_URL, { options: `-c search_path=${schema}` });
    await runMigrations(pg);
    const db = openSqliteDatabase(SQLITE_IN_MEMORY);
    runSqliteMigrations(db);
    stores.push(
      {
        name: 'sqlite',
        repo: new SqliteMemoryRepository(db, 0),
        budgeted: new SqliteMemoryRepository(db, 8),
      },
      {
        name: 'postgres',
        repo: new PostgresMemoryRepository(pg, 0),
        budgeted: new PostgresMemoryRepository(pg, 8),
      },
    );
    for (const { repo } of stores) {
      for (const batch of memories()) {
        await repo.add('t', 'ns', batch);
      }
      // A delete in the middle of a conversation re-indexes its neighbours.
      const [victim] = (await repo.list('t', 'ns', { limit: 40 })).items.slice(-1);
      expect(await repo.delete('t', 'ns', victim.id)).toBe(true);
    }
  });

  afterAll(async () => {
    await pg?.close();
    await admin?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin?.close();
  });

  const ranked = async (repo: MemoryRepository, query: string) =>
    (await repo.search('t', 'ns', query, { limit: 10 })).map((m) => `${m.score} ${m.content}`);

  it.each(QUERIES)(
    'should rank %p the same, scores included, exact and budgeted',
    async (query) => {
      const [sqlite, postgres] = stores;
      const exact = await ranked(sqlite.repo, query);
      expect(exact.length).toBeGreaterThan(0);
      expect(await ranked(postgres.repo, query)).toEqual(exact);
      expect(await ranked(postgres.budgeted, query)).toEqual(await ranked(sqlite.budgeted, query));
    },
  );
});
