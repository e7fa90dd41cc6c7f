import {
  addMemories,
  freshNamespace,
  Memory,
  memoriesPath,
  memoryApi,
  memoryBackends,
} from './support/memory';
import { expectError, memoryPage, Page } from './support/memory-api';
import { bootMemoryGateway, OTHER_KEY } from './support/memory-chat';
import { readJson } from './support/json';

describe.each(memoryBackends())('memory management API on $name', (backend) => {
  const booted = bootMemoryGateway(backend);

  describe('GET /v1/memory/namespaces', () => {
    it("should list the key's namespaces with counts and the newest created_at", async () => {
      const [a, b] = [freshNamespace('list-a'), freshNamespace('list-b')];
      await addMemories(booted.gateway, a, [
        { content: 'first', created_at: '2024-01-01T00:00:00.000Z' },
        { content: 'second', created_at: '2024-03-01T12:00:00.000Z' },
      ]);
      await addMemories(booted.gateway, b, {
        content: 'only',
        created_at: '2024-02-02T00:00:00.000Z',
      });
      const response = await memoryApi(booted.gateway, 'GET', '/namespaces');
      expect(response.status).toBe(200);
      const body = await readJson(response);
      expect(body.object).toBe('list');
      expect(body.data).toEqual(
        expect.arrayContaining([
          {
            object: 'memory.namespace',
            namespace: a,
            memory_count: 2,
            last_created_at: '2024-03-01T12:00:00.000Z',
            shared: false,
          },
          {
            object: 'memory.namespace',
            namespace: b,
            memory_count: 1,
            last_created_at: '2024-02-02T00:00:00.000Z',
            shared: false,
          },
        ]),
      );
    });

    it("should not list another key's namespaces", async () => {
      const namespace = freshNamespace('mine');
      await addMemories(booted.gateway, namespace, { content: 'not for the other key' });
      const response = await memoryApi(booted.gateway, 'GET', '/namespaces', undefined, OTHER_KEY);
      expect(response.status).toBe(200);
      const names = (await readJson(response)).data.map(
        (entry: { namespace: string }) => entry.namespace,
      );
      expect(names).not.toContain(namespace);
    });
  });

  describe('GET /v1/memory/namespaces/{ns}/memories', () => {
    it('should page newest first with limit and after, without duplicates or gaps', async () => {
      const namespace = freshNamespace('paging');
      const start = Date.parse('2024-01-01T00:00:00.000Z');
      // Inserted in shuffled order so the order can only come from created_at.
      const order = Array.from({ length: 25 }, (_, i) => (i * 7) % 25);
      await addMemories(
        booted.gateway,
        namespace,
        order.map((i) => ({
          content: `memory number ${i}`,
          created_at: new Date(start + i * 60000).toISOString(),
        })),
      );
      const seen: Memory[] = [];
      const pages: Page[] = [];
      let query = '?limit=10';
      for (;;) {
        const current = await memoryPage(booted.gateway, namespace, query);
        pages.push(current);
        seen.push(...current.data);
        if (!current.has_more) {
          break;
        }
        expect(typeof current.next_cursor).toBe('string');
        query = `?limit=10&after=${encodeURIComponent(current.next_cursor!)}`;
        expect(pages.length).toBeLessThan(5);
      }
      expect(pages.map((p) => p.data.length)).toEqual([10, 10, 5]);
      expect(pages.map((p) => p.has_more)).toEqual([true, true, false]);
      expect(pages[2].next_cursor).toBeNull();
      expect(seen.map((memory) => memory.content)).toEqual(
        Array.from({ length: 25 }, (_, i) => `memory number ${24 - i}`),
      );
    });

    it('should page through memories written in the same millisecond without losing any', async () => {
      const namespace = freshNamespace('same-ms');
      const ids = await addMemories(
        booted.gateway,
        namespace,
        Array.from({ length: 7 }, (_, i) => ({ content: `batch item ${i}` })),
      );
      const seen: string[] = [];
      let query = '?limit=2';
      for (let i = 0; i < 10; i++) {
        const current = await memoryPage(booted.gateway, namespace, query);
        seen.push(...current.data.map((memory) => memory.id));
        if (current.next_cursor === null) {
          break;
        }
        query = `?limit=2&after=${encodeURIComponent(current.next_cursor)}`;
      }
      expect(seen).toHaveLength(7);
      expect([...seen].sort()).toEqual([...ids].sort());
    });

    it('should default to 20 per page', async () => {
      const namespace = freshNamespace('default-limit');
      await addMemories(
        booted.gateway,
        namespace,
        Array.from({ length: 21 }, (_, i) => ({ content: `entry ${i}` })),
      );
      const first = await memoryPage(booted.gateway, namespace, '');
      expect(first.data).toHaveLength(20);
      expect(first.has_more).toBe(true);
    });

    it.each(['0', '101', 'ten', '-1'])(
      'should refuse limit=%s with 400 param limit',
      async (limit) => {
        await expectError(
          await memoryApi(booted.gateway, 'GET', memoriesPath('anything', `?limit=${limit}`)),
          400,
          { type: 'invalid_request_error', param: 'limit' },
        );
      },
    );

    it.each(['garbage', Buffer.from('["not a date","1"]').toString('base64url')])(
      'should refuse the cursor %s with 400 param after',
      async (cursor) => {
        await expectError(
          await memoryApi(booted.gateway, 'GET', memoriesPath('anything', `?after=${cursor}`)),
          400,
          { type: 'invalid_request_error', param: 'after' },
        );
      },
    );

    it('should answer an empty page for an unknown namespace', async () => {
      expect(await memoryPage(booted.gateway, freshNamespace('empty'), '')).toEqual({
        object: 'list',
        data: [],
        has_more: false,
        next_cursor: null,
      });
    });
  });

  describe('search with q=', () => {
    let namespace: string;

    beforeAll(async () => {
      namespace = freshNamespace('search');
      await addMemories(booted.gateway, namespace, [
        { content: 'Dogs are loyal; my dog Rex loves other dogs.' },
        { content: 'My dog is called Rex.' },
        { content: 'The weather is nice today.' },
        { content: 'I have two cats and a parrot.' },
      ]);
    });

    it('should return stemmed matches, scored, best first', async () => {
      const result = await memoryPage(booted.gateway, namespace, '?q=dogs');
      expect(result.has_more).toBe(false);
      expect(result.next_cursor).toBeNull();
      expect(result.data.map((memory) => memory.content).sort()).toEqual([
        'Dogs are loyal; my dog Rex loves other dogs.',
        'My dog is called Rex.',
      ]);
      const scores = result.data.map((memory) => memory.score!);
      for (const score of scores) {
        expect(score).toBeGreaterThan(0);
        expect(score).toBeLessThanOrEqual(1);
      }
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
      // Three mentions of dog outrank one.
      expect(result.data[0].content).toBe('Dogs are loyal; my dog Rex loves other dogs.');
      expect(result.data[0]).toMatchObject({ object: 'memory', namespace, role: 'user' });
    });

    it('should find nothing for words no memory has, and nothing for another key', async () => {
      expect((await memoryPage(booted.gateway, namespace, '?q=submarine')).data).toEqual([]);
      expect((await memoryPage(booted.gateway, namespace, '?q=dogs', OTHER_KEY)).data).toEqual([]);
    });

    it('should return at most 10 by default, and honour limit', async () => {
      const many = freshNamespace('search-many');
      await addMemories(
        booted.gateway,
        many,
        // Among other notes: a word in every memory of a namespace tells them nothing apart
        // (BM25's idf near 0), and scores under the default MEMORY_MIN_SCORE.
        Array.from({ length: 24 }, (_, i) => ({
          content: `A note about ${i % 2 === 0 ? 'gardening' : 'cooking'} number ${i}.`,
        })),
      );
      expect((await memoryPage(booted.gateway, many, '?q=gardening')).data).toHaveLength(10);
      expect((await memoryPage(booted.gateway, many, '?q=gardening&limit=3')).data).toHaveLength(3);
    });
  });
});
