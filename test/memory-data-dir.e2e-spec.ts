import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { MIGRATIONS } from '../src/memory/migrations';
import { createFakeOpenAiUpstream, FakeOpenAiUpstream } from './fakes/fake-openai-upstream';
import { TEST_KEY, UPSTREAM_KEY } from './support/gateway';
import { GatewayProcess, spawnGateway, waitUntilListening } from './support/gateway-process';
import { readJson } from './support/json';
import { addMemories, listMemories, Memory, memoriesPath, memoryApi } from './support/memory';

const MODELS_FILE = join(__dirname, 'fixtures', 'catalog-without-fallbacks.yaml');
const SLOW_TIMEOUT_MS = 90000;

describe('the embedded store data directory', () => {
  let upstream: FakeOpenAiUpstream;
  let dataDir: string;
  const started: GatewayProcess[] = [];

  beforeAll(async () => {
    upstream = await createFakeOpenAiUpstream().listen();
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gateway-data-dir-'));
  });
  afterEach(() => {
    for (const gateway of started.splice(0)) {
      gateway.child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await upstream?.close();
  });

  function spawn(): Promise<GatewayProcess> {
    return spawnGateway({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: UPSTREAM_KEY,
      GATEWAY_API_KEYS: TEST_KEY,
      MEMORY_ENABLED: 'true',
      DATA_DIR: dataDir,
      MODELS_FILE,
      LOG_LEVEL: 'info',
    }).then((gateway) => {
      started.push(gateway);
      return gateway;
    });
  }

  async function stop(gateway: GatewayProcess): Promise<void> {
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }

  it(
    'should refuse a second gateway on a directory in use, naming it and the holder, and lose nothing',
    async () => {
      const first = await spawn();
      await waitUntilListening(first);
      await addMemories(first, 'ns', [{ content: 'written by the first' }]);

      const second = await spawn();
      expect(await second.exited).not.toBe(0);
      expect(second.stderr()).toContain(`DATA_DIR ${resolve(dataDir)} is in use`);
      expect(second.stderr()).toContain(`pid ${first.child.pid}`);

      // The first one never noticed, and keeps writing.
      await addMemories(first, 'ns', [{ content: 'written after the refusal' }]);
      await stop(first);

      const third = await spawn();
      await waitUntilListening(third);
      expect((await listMemories(third, 'ns')).map((memory) => memory.content).sort()).toEqual([
        'written after the refusal',
        'written by the first',
      ]);
      await stop(third);
    },
    SLOW_TIMEOUT_MS,
  );

  it(
    "should import the previous release's PGlite directory once, keeping ids, dates and context",
    async () => {
      const old = await PGlite.create(join(dataDir, 'pglite'));
      for (const migration of MIGRATIONS) {
        await old.exec(migration.sql);
      }
      const { rows } = await old.query<{ id: string }>(
        `INSERT INTO memories (tenant, namespace, role, content, content_hash, metadata,
           created_at, context)
         VALUES ('key:env-key-1', 'family', 'user', 'Maya', 'h1', '{"source":"old"}',
                 '2025-03-04T05:06:07.089Z', 'What is your sister''s name?'),
                ('key:env-key-1', 'family', 'user', 'We live in Porto.', 'h2', '{}',
                 '2025-03-04T05:07:00.000Z', NULL)
         RETURNING id::text AS id`,
      );
      await old.close();

      const gateway = await spawn();
      // Boot includes the one-time import, and PGlite's start-up takes seconds (more on a busy
      // machine): the gateway listens once it is done.
      await waitUntilListening(gateway, 60_000);
      const memories = await listMemories(gateway, 'family');
      expect(memories.map((memory) => memory.id).sort()).toEqual(rows.map((r) => r.id).sort());
      expect(memories.find((memory) => memory.content === 'Maya')).toMatchObject({
        metadata: { source: 'old' },
        created_at: '2025-03-04T05:06:07.089Z',
      });
      const found = await memoryApi(gateway, 'GET', memoriesPath('family', '?q=sister'));
      expect(((await readJson(found)) as { data: Memory[] }).data.map((m) => m.content)).toEqual([
        'Maya',
      ]);
      expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
      expect(existsSync(join(dataDir, 'pglite.imported'))).toBe(true);
      expect(gateway.stdout()).toContain('imported 2 memories');
      await stop(gateway);

      // Once: a restart neither imports again nor loses anything.
      const again = await spawn();
      await waitUntilListening(again);
      expect(await listMemories(again, 'family')).toHaveLength(2);
      expect(again.stdout()).not.toContain('imported');
      await stop(again);
    },
    SLOW_TIMEOUT_MS,
  );
});
