import { Logger } from '@nestjs/common';

import type { ApiKeyIdentity } from '../auth/api-key.types';
import { GatewayException } from '../common/errors/gateway.exception';
import { MetricsService } from '../metrics/metrics.service';
import { MemoryEmbedder } from './memory-embedder.service';
import { MemoryManagementService } from './memory-management.service';
import { MemoryService } from './memory.service';
import { MemoryStore } from './memory-store.service';
import { MemoryRepository } from './memory.types';
import { MemoryWriter } from './memory-writer.service';
import { openSqliteDatabase, SQLITE_IN_MEMORY } from './sqlite/sqlite-database';
import { SqliteMemoryRepository } from './sqlite/sqlite-memory.repository';
import { runSqliteMigrations } from './sqlite/sqlite-schema';

const CONFIG = { maxTokens: 1000, minScore: 0.1, minSimilarity: 0.3, retrievalTimeoutMs: 1000 };
const ALICE: ApiKeyIdentity = { id: 'alice', sharedNamespaces: new Set(['team', 'handbook']) };
const BOB: ApiKeyIdentity = { id: 'bob', sharedNamespaces: new Set(['team']) };

/** The service on a real SQLite store (memory://); `repository` may be swapped for a failing one. */
function managementOn(open: () => Promise<MemoryRepository>): MemoryManagementService {
  const store = { repository: open } as unknown as MemoryStore;
  const embedder = {
    enabled: false,
    withEmbeddings: <T>(items: T[]) => Promise.resolve(items),
  } as unknown as MemoryEmbedder;
  const memory = new MemoryService(
    store,
    {} as MemoryWriter,
    embedder,
    CONFIG as never,
    new MetricsService(),
  );
  return new MemoryManagementService(store, memory, embedder);
}

function sqliteRepository(): MemoryRepository {
  const db = openSqliteDatabase(SQLITE_IN_MEMORY);
  runSqliteMigrations(db);
  return new SqliteMemoryRepository(db);
}

async function refusal(work: Promise<unknown>) {
  const error: unknown = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayException);
  return { status: (error as GatewayException).getStatus(), ...(error as GatewayException).body };
}

describe('MemoryManagementService', () => {
  let repo: MemoryRepository;
  let memories: MemoryManagementService;
  const plain = { conversation: false };

  beforeEach(() => {
    repo = sqliteRepository();
    memories = managementOn(() => Promise.resolve(repo));
  });

  it('keeps each key to its own namespaces, and shares granted ones between keys', async () => {
    await memories.add(ALICE, 'private', { content: 'Alice alone' }, plain);
    await memories.add(ALICE, 'team', { content: 'For the team' }, plain);
    await memories.add(BOB, 'private', [{ content: 'Bob alone' }, { content: 'Bob too' }], plain);

    const bobsTeam = await memories.list(BOB, 'team', {});
    expect(bobsTeam.data.map((memory) => memory.content)).toEqual(['For the team']);
    const alicesPrivate = await memories.list(ALICE, 'private', {});
    expect(alicesPrivate.data.map((memory) => memory.content)).toEqual(['Alice alone']);

    const listed = await memories.namespaces(ALICE);
    expect(
      listed.data.map(({ namespace, memory_count, shared }) => [namespace, memory_count, shared]),
    ).toEqual([
      // Granted but empty still shows; sorted by name.
      ['handbook', 0, true],
      ['private', 1, false],
      ['team', 1, true],
    ]);
  });

  it('lists a private namespace shadowed by a shared grant only once, as the shared one', async () => {
    const before: ApiKeyIdentity = { id: 'carol' };
    await memories.add(before, 'team', { content: 'Written before the grant' }, plain);
    const granted: ApiKeyIdentity = { id: 'carol', sharedNamespaces: new Set(['team']) };

    const listed = await memories.namespaces(granted);

    expect(listed.data).toEqual([
      expect.objectContaining({ namespace: 'team', shared: true, memory_count: 0 }),
    ]);
  });

  it('answers duplicates with the stored id, and finds memories by `q`', async () => {
    const first = await memories.add(
      ALICE,
      'notes',
      { content: 'The VPN gateway is vpn.example.com' },
      plain,
    );
    const again = await memories.add(
      ALICE,
      'notes',
      [{ content: 'The VPN gateway is vpn.example.com' }, { content: 'Coffee is on floor 2' }],
      plain,
    );
    expect(first).toMatchObject({ inserted: 1, skipped: 0 });
    expect(again).toMatchObject({ inserted: 1, skipped: 1 });
    expect(again.data[0]).toEqual({ id: first.data[0].id, duplicate: true });

    const found = await memories.list(ALICE, 'notes', { q: 'Where is the VPN gateway?' });
    expect(found).toMatchObject({ has_more: false, next_cursor: null });
    expect(found.data.map((memory) => memory.content)).toEqual([
      'The VPN gateway is vpn.example.com',
    ]);
  });

  it('pages newest first by cursor and refuses a cursor it did not hand out', async () => {
    await memories.add(
      ALICE,
      'notes',
      [{ content: 'one' }, { content: 'two' }, { content: 'three' }],
      plain,
    );

    const first = await memories.list(ALICE, 'notes', { limit: '2' });
    expect(first).toMatchObject({ has_more: true });
    const rest = await memories.list(ALICE, 'notes', { limit: '2', after: first.next_cursor! });
    expect([...first.data, ...rest.data].map((memory) => memory.content).sort()).toEqual([
      'one',
      'three',
      'two',
    ]);
    expect(rest).toMatchObject({ has_more: false, next_cursor: null });

    const forged = Buffer.from('{"not":"a cursor"}').toString('base64url');
    await expect(refusal(memories.list(ALICE, 'notes', { after: forged }))).resolves.toMatchObject({
      status: 400,
      param: 'after',
    });
  });

  it("gets and deletes one memory, and answers 404 for another key's", async () => {
    const added = await memories.add(ALICE, 'notes', { content: 'Mine' }, plain);
    const id = String(added.data[0].id);

    await expect(memories.get(ALICE, 'notes', id)).resolves.toMatchObject({ id, content: 'Mine' });
    await expect(refusal(memories.get(BOB, 'notes', id))).resolves.toMatchObject({ status: 404 });
    await expect(refusal(memories.remove(BOB, 'notes', id))).resolves.toMatchObject({
      status: 404,
    });
    await expect(memories.remove(ALICE, 'notes', id)).resolves.toEqual({
      id,
      object: 'memory.deleted',
      deleted: true,
    });
    await expect(refusal(memories.get(ALICE, 'notes', id))).resolves.toMatchObject({ status: 404 });
  });

  it("erases one key's namespace and counts what went", async () => {
    await memories.add(ALICE, 'notes', [{ content: 'a' }, { content: 'b' }], plain);
    await memories.add(BOB, 'notes', { content: 'c' }, plain);

    await expect(memories.erase(ALICE, 'notes')).resolves.toEqual({
      object: 'memory.namespace.deleted',
      namespace: 'notes',
      deleted: true,
      deleted_count: 2,
    });
    expect((await memories.list(BOB, 'notes', {})).data).toHaveLength(1);
  });

  it('refuses a bad body with 400 naming the item, before touching the store', async () => {
    const untouched = managementOn(() => Promise.reject(new Error('must not be opened')));
    const refused = await refusal(untouched.add(ALICE, 'notes', [{ content: 'ok' }, {}], plain));
    expect(refused).toMatchObject({ status: 400 });
    expect(refused.param).toContain('[1]');
  });

  it('turns a store outage into 503 memory_unavailable without its cause', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const down = managementOn(() => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5')));
    const broken = Object.create(repo) as MemoryRepository;
    broken.namespaces = () => Promise.reject(new Error('relation "memories" does not exist'));
    const failing = managementOn(() => Promise.resolve(broken));

    for (const refused of [
      await refusal(down.namespaces(ALICE)),
      await refusal(failing.namespaces(ALICE)),
    ]) {
      expect(refused).toMatchObject({ status: 503, code: 'memory_unavailable' });
      expect(JSON.stringify(refused)).not.toMatch(/ECONNREFUSED|relation/);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
