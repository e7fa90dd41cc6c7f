import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PostgresMemoryRepository } from './memory.repository';
import { InvalidCursorError, MemoryRepository } from './memory.types';
import { MIGRATIONS, runMigrations } from './migrations';
import { createPgClient } from './sql-client';
import { DataDirInUseError, openSqliteDatabase, SQLITE_IN_MEMORY } from './sqlite/sqlite-database';
import { SqliteMemoryRepository } from './sqlite/sqlite-memory.repository';
import { runSqliteMigrations, SQLITE_MIGRATIONS } from './sqlite/sqlite-schema';

const POSTGRES_URL =
  process.env.MEMORY_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

interface OpenStore {
  repo: MemoryRepository;
  /** Ids of the migrations the open applied, and what a second run applies. */
  applied: string[];
  all: string[];
  migrateAgain(): Promise<string[]>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  open(): Promise<OpenStore>;
  cleanup(): Promise<void>;
}

const sqlite: Backend = {
  name: 'SQLite (memory://)',
  open: () => {
    const db = openSqliteDatabase(SQLITE_IN_MEMORY);
    const applied = runSqliteMigrations(db);
    return Promise.resolve({
      repo: new SqliteMemoryRepository(db),
      applied,
      all: SQLITE_MIGRATIONS.map((migration) => migration.id),
      migrateAgain: () => Promise.resolve(runSqliteMigrations(db)),
      close: () => Promise.resolve(db.close()).then(() => undefined),
    });
  },
  cleanup: () => Promise.resolve(),
};

/** A schema of its own per run, dropped afterwards, so runs never see each other's rows. */
function postgres(): Backend {
  const schema = `memory_test_${randomBytes(6).toString('hex')}`;
  const admin = createPgClient(POSTGRES_URL, { max: 1, connectionTimeoutMillis: 5000 });
  return {
    name: `Postgres (${POSTGRES_URL})`,
    open: async () => {
      try {
        await admin.exec(`CREATE SCHEMA ${schema}`);
      } catch (error) {
        // CI has Postgres: failing (not skipping) keeps this suite from silently not running.
        throw new Error(
          `Postgres not reachable at ${POSTGRES_URL} (${(error as Error).message}); start it ` +
            'with `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust ' +
            '-e POSTGRES_DB=test postgres:16` or set MEMORY_TEST_DATABASE_URL',
        );
      }
      const sql = createPgClient(POSTGRES_URL, { options: `-c search_path=${schema}` });
      return {
        repo: new PostgresMemoryRepository(sql),
        applied: await runMigrations(sql),
        all: MIGRATIONS.map((migration) => migration.id),
        migrateAgain: () => runMigrations(sql),
        close: () => sql.close(),
      };
    },
    cleanup: async () => {
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await admin.close();
    },
  };
}

describe.each([sqlite, postgres()])('MemoryRepository on $name', (backend) => {
  let store: OpenStore | undefined;
  let repo: MemoryRepository;
  let tenants = 0;
  // Each test writes under tenants of its own, so tests share one database without clashing.
  const tenant = () => `tenant-${++tenants}`;

  beforeAll(async () => {
    store = await backend.open();
    repo = store.repo;
  });

  afterAll(async () => {
    await store?.close();
    await backend.cleanup();
  });

  it('should apply the migrations once, and nothing on a second run', async () => {
    expect(store!.applied).toEqual(store!.all);
    expect(await store!.migrateAgain()).toEqual([]);
  });

  it('should store a batch and skip exact duplicates, in the batch and across calls', async () => {
    const t = tenant();
    const first = await repo.add(t, 'ns', [
      { content: 'likes tea' },
      { content: 'likes coffee', role: 'assistant' },
      { content: 'likes tea' },
    ]);
    expect(first.inserted).toHaveLength(2);
    expect(first.skipped).toBe(1);
    expect(first.items.map((item) => item.duplicate)).toEqual([false, false, true]);
    expect(first.items[2].id).toBe(first.items[0].id);

    const again = await repo.add(t, 'ns', [
      { content: 'likes tea' },
      { content: 'likes tea', role: 'assistant' },
    ]);
    expect(again.skipped).toBe(1);
    expect(again.items[0]).toEqual({ id: first.items[0].id, duplicate: true });
    expect(again.items[1].duplicate).toBe(false);
    expect((await repo.list(t, 'ns')).items).toHaveLength(3);
  });

  it('should store nothing from a batch when one item fails', async () => {
    const t = tenant();
    await expect(
      repo.add(t, 'ns', [{ content: 'fine' }, { content: 'bad date', createdAt: new Date(NaN) }]),
    ).rejects.toThrow();
    expect(await repo.namespaces(t)).toEqual([]);
  });

  it('should keep tenants apart under the same namespace name', async () => {
    const [a, b] = [tenant(), tenant()];
    const { inserted } = await repo.add(a, 'shared', [{ content: 'secret of a about running' }]);
    await repo.add(b, 'shared', [{ content: 'secret of a about running' }]);
    const id = inserted[0];

    expect(await repo.get(b, 'shared', id)).toBeNull();
    expect(await repo.delete(b, 'shared', id)).toBe(false);
    expect((await repo.list(b, 'shared')).items.map((m) => m.id)).not.toContain(id);
    expect((await repo.search(b, 'shared', 'running')).map((m) => m.id)).not.toContain(id);
    expect(await repo.deleteNamespace(b, 'shared')).toBe(1);
    expect(await repo.namespaces(b)).toEqual([]);

    expect((await repo.get(a, 'shared', id))?.content).toBe('secret of a about running');
    expect(await repo.namespaces(a)).toMatchObject([{ namespace: 'shared', count: 1 }]);
  });

  it('should list newest first, by cursor or by offset', async () => {
    const t = tenant();
    const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));
    await repo.add(t, 'ns', [
      { content: 'm1', createdAt: at(1) },
      { content: 'm3', createdAt: at(3) },
      { content: 'm2', createdAt: at(2) },
    ]);
    // Written together without a date: same millisecond, so insertion order decides.
    await repo.add(t, 'ns', [{ content: 'n1' }, { content: 'n2' }]);
    const expected = ['n2', 'n1', 'm3', 'm2', 'm1'];

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repo.list(t, 'ns', { limit: 2, cursor });
      seen.push(...page.items.map((m) => m.content));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);

    const byOffset = await repo.list(t, 'ns', { limit: 2, offset: 2 });
    expect(byOffset.items.map((m) => m.content)).toEqual(['m3', 'm2']);
    expect((await repo.list(t, 'ns', { limit: 5 })).nextCursor).toBeNull();
  });

  it('should refuse a cursor it did not make', async () => {
    await expect(repo.list(tenant(), 'ns', { cursor: 'not-a-cursor' })).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('should search with stemming, best match first, with scores in [0, 1)', async () => {
    const t = tenant();
    await repo.add(t, 'ns', [
      { content: 'I run in the park' },
      { content: 'The cat sleeps all day' },
      { content: 'Runs and runners: she runs a marathon after a run' },
    ]);
    const found = await repo.search(t, 'ns', 'running');
    expect(found.map((m) => m.content)).toEqual([
      'Runs and runners: she runs a marathon after a run',
      'I run in the park',
    ]);
    expect(found[0].score).toBeGreaterThan(found[1].score);
    for (const { score } of found) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThan(1);
    }
    expect(await repo.search(t, 'ns', 'running', { minScore: found[1].score + 1e-6 })).toEqual([
      found[0],
    ]);
    expect(await repo.search(t, 'ns', 'running', { limit: 1 })).toHaveLength(1);
    // Any word of a question is enough to match; operators in the text are just words.
    expect(
      (await repo.search(t, 'ns', 'Where do cats like sleeping?')).map((m) => m.content),
    ).toEqual(['The cat sleeps all day']);
    expect(await repo.search(t, 'ns', "run & ! | ( 'park:*")).toHaveLength(2);
    expect(await repo.search(t, 'ns', 'dogs')).toEqual([]);
    expect(await repo.search(t, 'ns', '  ')).toEqual([]);
    // Only stop words: an empty tsquery, which matches nothing rather than failing.
    expect(await repo.search(t, 'ns', 'the and')).toEqual([]);
  });

  it('should find a conversation turn by the words of its neighbours', async () => {
    const t = tenant();
    const at = Date.parse('2026-03-01T10:00:00Z');
    await repo.add(t, 'ns', [
      {
        content: "What is your sister's name?",
        role: 'assistant',
        conversation: true,
        createdAt: new Date(at),
      },
      { content: 'Maya.', conversation: true, createdAt: new Date(at + 30_000) },
    ]);
    await repo.add(t, 'ns', [
      { content: 'My sister loves chess', createdAt: new Date(at + 60_000) },
    ]);
    const found = await repo.search(t, 'ns', 'sister');
    // Found by its neighbour's "sister"; then first: the feedback pass reads the best matches,
    // Maya among them in a namespace this small, and "maya" weighs most in so short a turn.
    expect(found.map((m) => m.content)).toEqual([
      'Maya.',
      'My sister loves chess',
      "What is your sister's name?",
    ]);
    expect(found[0].score).toBeGreaterThan(found[1].score);
  });

  it('should fuse text and vector ranks when the query has an embedding', async () => {
    const t = tenant();
    // Axis 0: pets, axis 1: work, axis 2: travel (unit vectors, as the embedder stores them).
    await repo.add(t, 'ns', [
      // Not "named": WordNet relates it to the query's "called", and text would find it.
      { content: 'I adopted a puppy, Rex', embedding: [1, 0, 0] },
      { content: 'My pet peeve is loud music', embedding: [0, 0.6, 0.8] },
      { content: 'I work as a nurse', embedding: [0, 1, 0] },
      { content: 'Stored before embeddings were on: my pet fish' },
    ]);
    const query = 'What is my pet called?';
    const textOnly = await repo.search(t, 'ns', query);
    expect(textOnly.map((m) => m.content)).not.toContain('I adopted a puppy, Rex');

    const hybrid = await repo.search(t, 'ns', query, {
      embedding: [0.9, 0.1, 0],
      minSimilarity: 0.5,
    });
    // Rex: by meaning only; the two "pet" memories: by text (the fish has no vector at all).
    expect(hybrid.map((m) => m.content).sort()).toEqual([
      'I adopted a puppy, Rex',
      'My pet peeve is loud music',
      'Stored before embeddings were on: my pet fish',
    ]);
    for (const { score } of hybrid) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    // Found by both lists beats found by one.
    const both = await repo.search(t, 'ns', 'my puppy Rex', {
      embedding: [1, 0, 0],
      minSimilarity: 0.5,
    });
    expect(both[0]).toMatchObject({ content: 'I adopted a puppy, Rex', score: 1 });
  });

  it('should get and delete one memory, with everything that was stored', async () => {
    const t = tenant();
    const { inserted } = await repo.add(t, 'ns', [
      { content: 'hello', role: 'assistant', model: 'gpt-4o-mini', requestId: 'req-1' },
    ]);
    const id = inserted[0];
    expect(await repo.get(t, 'ns', id)).toEqual({
      id,
      namespace: 'ns',
      role: 'assistant',
      content: 'hello',
      model: 'gpt-4o-mini',
      requestId: 'req-1',
      metadata: {},
      createdAt: expect.any(Date),
    });
    expect(await repo.get(t, 'other', id)).toBeNull();
    expect(await repo.get(t, 'ns', 'not-a-uuid')).toBeNull();
    expect(await repo.delete(t, 'ns', 'not-a-uuid')).toBe(false);
    expect(await repo.delete(t, 'ns', id)).toBe(true);
    expect(await repo.delete(t, 'ns', id)).toBe(false);
    expect(await repo.get(t, 'ns', id)).toBeNull();
  });

  it('should delete a whole namespace and count namespaces', async () => {
    const t = tenant();
    await repo.add(t, 'a', [{ content: '1' }, { content: '2' }, { content: '3' }]);
    await repo.add(t, 'b', [{ content: '1', createdAt: new Date('2024-05-06T07:08:09.123Z') }]);
    expect(await repo.namespaces(t)).toEqual([
      { namespace: 'a', count: 3, lastCreatedAt: expect.any(Date) },
      { namespace: 'b', count: 1, lastCreatedAt: new Date('2024-05-06T07:08:09.123Z') },
    ]);
    expect(await repo.deleteNamespace(t, 'a')).toBe(3);
    expect(await repo.deleteNamespace(t, 'a')).toBe(0);
    expect(await repo.namespaces(t)).toMatchObject([{ namespace: 'b', count: 1 }]);
  });

  it('should round-trip metadata and a given created_at exactly', async () => {
    const t = tenant();
    const metadata = { source: 'import', tags: ['a', 'b'], n: 1.5, nested: { ok: true, no: null } };
    const createdAt = new Date('2023-02-03T04:05:06.789Z');
    const { inserted } = await repo.add(t, 'ns', [
      { content: 'with metadata ✓', metadata, createdAt },
    ]);
    const stored = await repo.get(t, 'ns', inserted[0]);
    expect(stored?.metadata).toEqual(metadata);
    expect(stored?.createdAt).toEqual(createdAt);
    expect(stored?.content).toBe('with metadata ✓');
  });
});

describe('SQLite persisted in a directory', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'memory-sqlite-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should keep memories and the migration state across a restart', async () => {
    const first = openSqliteDatabase(dir);
    expect(runSqliteMigrations(first)).toEqual(SQLITE_MIGRATIONS.map((m) => m.id));
    const { inserted } = await new SqliteMemoryRepository(first).add('t', 'ns', [
      { content: 'kept' },
    ]);
    first.close();

    const second = openSqliteDatabase(dir);
    try {
      expect(runSqliteMigrations(second)).toEqual([]);
      const stored = await new SqliteMemoryRepository(second).get('t', 'ns', inserted[0]);
      expect(stored?.content).toBe('kept');
    } finally {
      second.close();
    }
  });

  it('should refuse a second store on a directory that is open, naming the holder', () => {
    const held = openSqliteDatabase(dir);
    try {
      expect(() => openSqliteDatabase(dir)).toThrow(DataDirInUseError);
      expect(() => openSqliteDatabase(dir)).toThrow(
        new RegExp(`DATA_DIR ${dir} is in use by another gateway process \\(pid ${process.pid} `),
      );
    } finally {
      held.close();
    }
    openSqliteDatabase(dir).close();
  });
});
