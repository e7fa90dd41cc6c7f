import { randomBytes } from 'node:crypto';

import { decodeTerms } from './bm25/entry-encoding';
import { weightedQueryTerms } from './bm25/query-terms';
import { spacedTerms } from './bm25/testing/reference-bm25';
import { firstPass } from './bm25/search-flow';
import { PostgresMemoryRepository } from './memory.repository';
import { PostgresSearchIndex } from './postgres-search';
import { MemoryRepository, NewMemory } from './memory.types';
import { runMigrations } from './migrations';
import { createPgClient, SqlClient } from './sql-client';
import { openSqliteDatabase, SQLITE_IN_MEMORY } from './sqlite/sqlite-database';
import { SqliteMemoryRepository } from './sqlite/sqlite-memory.repository';
import { SqliteSearchIndex } from './sqlite/sqlite-search';
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
  // WordNet expansion (feline -> cat) and feedback terms: still the same on both.
  'Which feline does my sibling like?',
];

describe('BM25 search on both stores', () => {
  const schema = `memory_test_${randomBytes(6).toString('hex')}`;
  let admin: SqlClient;
  let pg: SqlClient;
  let sqliteDb: ReturnType<typeof openSqliteDatabase>;
  // Budgets that leave the rarest term capped (8), and that read a few terms whole and score the
  // common ones from the candidates' entries (30, 60): all give the same on both stores.
  const BUDGETS = [8, 30, 60];
  const stores: Array<{ name: string; repo: MemoryRepository; budgeted: MemoryRepository[] }> = [];

  beforeAll(async () => {
    admin = createPgClient(POSTGRES_URL, { max: 1, connectionTimeoutMillis: 5000 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    pg = createPgClient(POSTGRES_URL, { options: `-c search_path=${schema}` });
    await runMigrations(pg);
    const db = (sqliteDb = openSqliteDatabase(SQLITE_IN_MEMORY));
    runSqliteMigrations(db);
    stores.push(
      {
        name: 'sqlite',
        repo: new SqliteMemoryRepository(db, 0),
        budgeted: BUDGETS.map((budget) => new SqliteMemoryRepository(db, budget)),
      },
      {
        name: 'postgres',
        repo: new PostgresMemoryRepository(pg, 0),
        budgeted: BUDGETS.map((budget) => new PostgresMemoryRepository(pg, budget)),
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
      for (const [i, budgeted] of postgres.budgeted.entries()) {
        expect(await ranked(budgeted, query)).toEqual(await ranked(sqlite.budgeted[i], query));
      }
    },
  );

  /** pg, putting the name (or text) of each statement it runs in `names`. */
  const recording = (names: string[]): SqlClient => ({
    ...pg,
    query: (sql, params, name) => {
      names.push(name ?? sql);
      return pg.query(sql, params, name);
    },
  });

  it('should take the result rows from the best first matches it read', async () => {
    for (const query of QUERIES) {
      const names: string[] = [];
      const results = await ranked(new PostgresMemoryRepository(recording(names), 0), query);
      expect(results).toEqual(await ranked(stores[1].repo, query));
      // The feedback pass reads the 40 best first matches' rows: feedback lifts one of the sister
      // query's results from below the best 20, not from below those 40. (A result from further
      // down is read on its own: see the next test.)
      expect({ query, names }).toEqual({
        query,
        names: ['memory_search_candidates', 'memory_search_feedback'],
      });
    }
  });

  it('should rank rows written before compact entries (term:tf pairs) as it ranks them now', async () => {
    const before = await Promise.all(stores.map(({ repo }) => ranked(repo, QUERIES[1])));
    const spaced = (terms: string) => spacedTerms(decodeTerms(terms));
    // Every other row of the namespace, on both stores, as an older gateway wrote it.
    const { rows } = await pg.query<{ seq: string; terms: string }>(
      "SELECT seq, terms FROM memories WHERE namespace = 'ns' AND terms IS NOT NULL AND seq % 2 = 0",
    );
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      await pg.query('UPDATE memories SET terms = $1 WHERE seq = $2', [spaced(row.terms), row.seq]);
    }
    const older = sqliteDb
      .prepare("SELECT seq, terms FROM memories WHERE namespace = 'ns' AND seq % 2 = 0")
      .all() as Array<{ seq: number; terms: string | null }>;
    for (const row of older.filter((row) => row.terms !== null)) {
      sqliteDb
        .prepare('UPDATE memories SET terms = ? WHERE seq = ?')
        .run(spaced(row.terms!), row.seq);
    }
    expect(await Promise.all(stores.map(({ repo }) => ranked(repo, QUERIES[1])))).toEqual(before);
  });

  it('should read the result rows the best first matches do not hold, in the namespace only', async () => {
    const names: string[] = [];
    const { items } = await stores[1].repo.list('t', 'ns', { limit: 3 });
    const seqs = (
      await pg.query<{ seq: string }>(
        'SELECT seq FROM memories WHERE id = ANY($1::uuid[]) ORDER BY created_at DESC, seq DESC',
        [items.map((item) => item.id)],
      )
    ).rows.map((row) => Number(row.seq));
    const index = new PostgresSearchIndex(recording(names)).forSearch();
    await index.contents('t', seqs.slice(0, 2));
    const rows = await index.resultRows('t', 'ns', [seqs[1], seqs[2]]);
    expect([...rows.values()].map((row) => row.id)).toEqual([items[1].id, items[2].id]);
    expect(names).toEqual(['memory_search_contents', 'memory_search_rows']);
    // Another namespace's name finds none of them, read before or not.
    expect((await index.resultRows('t', 'other', seqs)).size).toBe(0);
  });

  describe('with one very common term', () => {
    // 300 standalone memories share "common filler"; 3 of them, far apart, also hold "rare".
    const wide = Array.from({ length: 300 }, (_, i) => ({
      content: `${[0, 150, 299].includes(i) ? 'rare ' : ''}common filler ${i}`,
      createdAt: new Date(T0 + i * 60_000),
    }));
    // BM25 as the search flow's first pass computes it, before feedback and the recency lift
    // (which depend on the page asked for): candidates from the budgeted postings, each scored
    // from its forward entry, must carry exactly the scores exact BM25 gives them.
    const bm25 = async (store: string, query: string, k: number, budget: number) => {
      const index =
        store === 'sqlite' ? new SqliteSearchIndex(sqliteDb) : new PostgresSearchIndex(pg);
      const found = await firstPass(index, 't', 'wide', weightedQueryTerms(query), budget);
      return new Map(found!.ranked.slice(0, k).map((hit) => [hit.seq, hit.score]));
    };

    beforeAll(async () => {
      for (const { repo } of stores) {
        await repo.add('t', 'wide', wide);
      }
    });

    it.each([
      // Candidates from "rare" alone, spread over the namespace: "common" scored from their entries.
      ['rare common', 3],
      // Both terms capped (budget 8): the 8 newest memories, "filler" scored from their entries.
      ['common filler', 8],
    ])('should give each budgeted hit of %p its exact score', async (query, hits) => {
      for (const { name } of stores) {
        const exact = await bm25(name, query, 500, 0);
        const found = await bm25(name, query, 10, BUDGETS[0]);
        expect(found.size).toBeGreaterThanOrEqual(hits);
        for (const [seq, score] of found) {
          expect({ store: name, seq, score }).toEqual({ store: name, seq, score: exact.get(seq) });
        }
      }
    });
  });
});
