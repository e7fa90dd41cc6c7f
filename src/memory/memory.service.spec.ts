import { Logger } from '@nestjs/common';

import { MetricsService } from '../metrics/metrics.service';
import { ChatMessage } from '../providers/chat.types';
import { MemoryEmbedder } from './memory-embedder.service';
import { MemoryStore } from './memory-store.service';
import { MemoryRepository, NewMemory } from './memory.types';
import { MemoryWriter } from './memory-writer.service';
import { MemoryService } from './memory.service';
import { MemoryScope } from './namespace';
import { openSqliteDatabase, SQLITE_IN_MEMORY } from './sqlite/sqlite-database';
import { SqliteMemoryRepository } from './sqlite/sqlite-memory.repository';
import { runSqliteMigrations } from './sqlite/sqlite-schema';

const SCOPE: MemoryScope = { tenant: 'key:team', namespace: 'notes', shared: false };
const CONFIG = { maxTokens: 1000, minScore: 0.1, minSimilarity: 0.3, retrievalTimeoutMs: 1000 };

/** What the writer was handed; the writer itself (batching, retries) has its own spec. */
class QueuedWrites {
  readonly queued: Array<{ scope: MemoryScope; items: NewMemory[]; requestId?: string }> = [];
  enqueue(scope: MemoryScope, items: NewMemory[], requestId?: string): void {
    this.queued.push({ scope, items, requestId });
  }
}

function sqliteRepository(): MemoryRepository {
  const db = openSqliteDatabase(SQLITE_IN_MEMORY);
  runSqliteMigrations(db);
  return new SqliteMemoryRepository(db);
}

function serviceOn(
  repository: () => Promise<MemoryRepository>,
  config: Partial<typeof CONFIG> = {},
) {
  const writes = new QueuedWrites();
  const metrics = new MetricsService();
  const service = new MemoryService(
    { repository } as unknown as MemoryStore,
    writes as unknown as MemoryWriter,
    { enabled: false } as MemoryEmbedder,
    { ...CONFIG, ...config } as never,
    metrics,
  );
  return { service, writes, metrics };
}

const user = (content: string): ChatMessage => ({ role: 'user', content });

describe('MemoryService', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  describe('recall', () => {
    it('adds what the namespace remembers about the question after the system messages', async () => {
      const repo = sqliteRepository();
      await repo.add(SCOPE.tenant, SCOPE.namespace, [
        { content: 'The staging database runs on port 6543', role: 'user' },
        { content: 'Lunch is at noon on Fridays', role: 'user' },
      ]);
      const { service, metrics } = serviceOn(() => Promise.resolve(repo));
      const messages = [
        { role: 'system', content: 'Be brief.' },
        user('Which port does the staging database use?'),
      ];

      const recall = await service.recall(SCOPE, messages);

      expect(recall).toMatchObject({ injected: 1, available: true });
      expect(recall.messages).toHaveLength(3);
      expect(recall.messages[0]).toBe(messages[0]);
      expect(recall.messages[1].role).toBe('system');
      expect(recall.messages[1].content).toContain('port 6543');
      expect(recall.messages[1].content).not.toContain('Lunch');
      expect(recall.messages[2]).toBe(messages[1]);
      expect((await metrics.memoryInjected.get()).values).toContainEqual(
        expect.objectContaining({ metricName: 'gateway_memory_injected_memories_sum', value: 1 }),
      );
    });

    it("does not touch the conversation when nothing matches, or in another key's namespace", async () => {
      const repo = sqliteRepository();
      await repo.add('key:other', SCOPE.namespace, [{ content: 'The port is 6543', role: 'user' }]);
      const { service } = serviceOn(() => Promise.resolve(repo));
      const messages = [user('Which port is it?')];

      const recall = await service.recall(SCOPE, messages);

      expect(recall).toMatchObject({ messages, injected: 0, available: true });
      expect(recall.messages).toBe(messages);
    });

    it('asks the store nothing when there is no user turn to search by', async () => {
      let opened = 0;
      const { service } = serviceOn(() => {
        opened += 1;
        return Promise.resolve(sqliteRepository());
      });
      const messages: ChatMessage[] = [{ role: 'system', content: 'Summarise the thread.' }];

      await expect(service.recall(SCOPE, messages)).resolves.toMatchObject({
        messages,
        injected: 0,
        available: true,
      });
      expect(opened).toBe(0);
    });

    it('serves without memory, and counts it, when the store is down', async () => {
      const { service } = serviceOn(() => Promise.reject(new Error('ECONNREFUSED')));
      const messages = [user('Which port?')];

      const recall = await service.recall(SCOPE, messages);

      expect(recall).toMatchObject({ messages, injected: 0, available: false });
      expect(service.counts.unavailableReads).toBe(1);
    });

    it('gives up on a search slower than MEMORY_RETRIEVAL_TIMEOUT_MS', async () => {
      const stuck = Object.create(sqliteRepository()) as MemoryRepository;
      stuck.search = () => new Promise(() => undefined);
      const { service } = serviceOn(() => Promise.resolve(stuck), { retrievalTimeoutMs: 20 });

      const recall = await service.recall(SCOPE, [user('Which port?')]);

      expect(recall).toMatchObject({ injected: 0, available: false });
      expect(recall.retrievalMs).toBeGreaterThanOrEqual(19);
      expect(service.counts.unavailableReads).toBe(1);
    });
  });

  describe('remember', () => {
    const startedAt = new Date('2026-01-01T10:00:00Z');

    it("queues the caller's new user turns and the answer as one conversation", () => {
      const { service, writes } = serviceOn(() => Promise.resolve(sqliteRepository()));
      const messages = [
        { role: 'system', content: 'Be brief.' },
        user('First question'),
        { role: 'assistant', content: 'An earlier answer the caller sends back' },
        user('Second question'),
        user('  '),
        user('And a third'),
      ];

      service.remember(
        SCOPE,
        messages,
        { content: 'The answer', model: 'gpt-4o-mini' },
        {
          requestId: 'req-1',
          startedAt,
        },
      );

      expect(writes.queued).toHaveLength(1);
      const [{ scope, items, requestId }] = writes.queued;
      expect(scope).toBe(SCOPE);
      expect(requestId).toBe('req-1');
      expect(items.map(({ role, content }) => [role, content])).toEqual([
        ['user', 'Second question'],
        ['user', 'And a third'],
        ['assistant', 'The answer'],
      ]);
      expect(items.every((item) => item.conversation && item.model === 'gpt-4o-mini')).toBe(true);
      expect(items[0].createdAt).toEqual(startedAt);
      // The caller's assistant turn is not stored, but the first new turn is found by it.
      expect(items[0].context).toBe('An earlier answer the caller sends back');
      expect(items[1].context).toBeUndefined();
    });

    it('keeps no blank answer and names no model it was not told', () => {
      const { service, writes } = serviceOn(() => Promise.resolve(sqliteRepository()));

      service.remember(SCOPE, [user('Hello')], { content: ' \n', model: '' }, { startedAt });

      const [{ items }] = writes.queued;
      expect(items.map(({ role, content }) => [role, content])).toEqual([['user', 'Hello']]);
      expect(items[0].model).toBeUndefined();
      expect(items[0].context).toBeUndefined();
    });
  });
});
