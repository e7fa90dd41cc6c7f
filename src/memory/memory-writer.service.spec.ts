import { Logger } from '@nestjs/common';

import { MetricsService } from '../metrics/metrics.service';
import { MemoryEmbedder } from './memory-embedder.service';
import { MemoryStore } from './memory-store.service';
import { MemoryRepository, ScopedMemories } from './memory.types';
import { MemoryWriter } from './memory-writer.service';
import { openSqliteDatabase, SQLITE_IN_MEMORY } from './sqlite/sqlite-database';
import { SqliteMemoryRepository } from './sqlite/sqlite-memory.repository';
import { runSqliteMigrations } from './sqlite/sqlite-schema';
import { rejectedForData } from './store-errors';

const POISON = 'this text the store refuses';

function storeError(code: string): Error {
  return Object.assign(new Error(`failed: ${POISON}`), { code });
}

/**
 * A real SQLite repository whose writes fail like a store that refuses some data (any batch
 * holding POISON) or is down (while `down` is set).
 */
function flakyRepository(): { repo: MemoryRepository; down: { set: boolean }; batches: number[] } {
  const db = openSqliteDatabase(SQLITE_IN_MEMORY);
  runSqliteMigrations(db);
  const real = new SqliteMemoryRepository(db);
  const down = { set: false };
  const batches: number[] = [];
  const repo = Object.create(real) as MemoryRepository;
  repo.addBatch = (writes: readonly ScopedMemories[]) => {
    batches.push(writes.length);
    if (down.set) {
      return Promise.reject(storeError('SQLITE_BUSY'));
    }
    if (writes.some((write) => write.items.some((item) => item.content === POISON))) {
      return Promise.reject(storeError('SQLITE_TOOBIG'));
    }
    return real.addBatch(writes);
  };
  return { repo, down, batches };
}

function writerOn(repo: MemoryRepository, metrics = new MetricsService()): MemoryWriter {
  const store = { repository: () => Promise.resolve(repo) } as unknown as MemoryStore;
  const embedder = { withEmbeddings: <T>(items: T[]) => Promise.resolve(items) };
  return new MemoryWriter(
    store,
    embedder as unknown as MemoryEmbedder,
    { writeRetryMs: 60_000, writeQueueMax: 1000 } as never,
    metrics,
  );
}

const scope = (tenant: string, namespace = 'ns') => ({ tenant, namespace, shared: false });

describe('MemoryWriter', () => {
  let errors: jest.SpyInstance;

  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  it('should drop a write the store refuses at once and write the rest of its batch', async () => {
    const { repo, batches } = flakyRepository();
    const metrics = new MetricsService();
    const writer = writerOn(repo, metrics);
    writer.enqueue(scope('a'), [{ content: 'first of a' }], 'req-1');
    writer.enqueue(scope('bad'), [{ content: POISON }], 'req-bad');
    writer.enqueue(scope('b'), [{ content: 'from b' }, { content: 'more from b' }], 'req-2');
    await writer.idle(5000);

    expect(writer.pending).toBe(0);
    expect(writer.counts).toMatchObject({ written: 3, rejected: 1, dropped: 0, retried: 0 });
    expect((await repo.list('a', 'ns')).items.map((m) => m.content)).toEqual(['first of a']);
    expect((await repo.list('b', 'ns')).items).toHaveLength(2);
    // One batch for all three, then one at a time to find the bad one; never retried.
    expect(batches).toEqual([3, 1, 1, 1]);
    const logged = errors.mock.calls.map((call) => String(call[0])).join('\n');
    expect(logged).toContain('tenant bad');
    expect(logged).toContain('namespace "ns"');
    expect(logged).toContain('request req-bad');
    expect(logged).toContain('SQLITE_TOOBIG');
    expect(logged).not.toContain(POISON);
    const counted = await metrics.registry.getSingleMetricAsString('gateway_memory_writes_total');
    expect(counted).toContain('gateway_memory_writes_total{outcome="rejected"} 1');
    expect(counted).toContain('gateway_memory_writes_total{outcome="written"} 3');
  });

  it('should retry an outage, not drop it, and write everything once the store is back', async () => {
    const { repo, down } = flakyRepository();
    const writer = writerOn(repo);
    down.set = true;
    writer.enqueue(scope('a'), [{ content: 'kept through the outage' }], 'req-1');
    writer.enqueue(scope('b'), [{ content: 'also kept' }], 'req-2');
    while (writer.counts.retried < 2) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(writer.pending).toBe(2);
    expect(writer.counts.rejected + writer.counts.dropped).toBe(0);
    down.set = false;
    await writer.idle(10_000);
    expect(writer.pending).toBe(0);
    expect(writer.counts).toMatchObject({ written: 2, rejected: 0, dropped: 0 });
  });
});

describe('rejectedForData', () => {
  it.each([
    [{ code: '22021' }, true],
    [{ code: '54000' }, true],
    [{ code: '23505' }, true],
    [{ code: 'SQLITE_TOOBIG' }, true],
    [{ code: 'SQLITE_CONSTRAINT_NOTNULL' }, true],
    [new RangeError('Invalid time value'), true],
    [{ code: '08006' }, false],
    [{ code: '57P01' }, false],
    [{ code: '42P01' }, false],
    [{ code: 'ECONNREFUSED' }, false],
    [{ code: 'SQLITE_BUSY' }, false],
    [{ code: 'SQLITE_IOERR_WRITE' }, false],
    [new Error('Connection terminated unexpectedly'), false],
    [new TypeError('The database connection is not open'), false],
  ])('should read %p as rejected for its data: %p', (error, expected) => {
    expect(rejectedForData(error)).toBe(expected);
  });
});
