import { chatBody, startGateway, TEST_KEY, TestGateway } from './support/gateway';
import {
  addMemories,
  freshNamespace,
  listMemories,
  Memory,
  memoriesPath,
  memoryApi,
  memoryBackends,
  startMemoryGateway,
  postMemoryChat,
} from './support/memory';
import { readJson } from './support/json';

const OTHER_KEY = 'sk-gateway-test-key-2';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BOOT_TIMEOUT_MS = 60000;

interface Page {
  object: 'list';
  data: Memory[];
  has_more: boolean;
  next_cursor: string | null;
}

async function expectError(
  response: Response,
  status: number,
  expected: Record<string, unknown>,
): Promise<void> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status });
  expect(JSON.parse(text).error).toMatchObject(expected);
}

describe.each(memoryBackends())('memory management API on $name', (backend) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startMemoryGateway(backend, OTHER_KEY);
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await gateway?.close();
    await backend.teardown();
  });

  async function page(namespace: string, query: string, key = TEST_KEY): Promise<Page> {
    const response = await memoryApi(
      gateway,
      'GET',
      memoriesPath(namespace, query),
      undefined,
      key,
    );
    expect(response.status).toBe(200);
    return (await readJson(response)) as Page;
  }

  describe('GET /v1/memory/namespaces', () => {
    it("should list the key's namespaces with counts and the newest created_at", async () => {
      const [a, b] = [freshNamespace('list-a'), freshNamespace('list-b')];
      await addMemories(gateway, a, [
        { content: 'first', created_at: '2024-01-01T00:00:00.000Z' },
        { content: 'second', created_at: '2024-03-01T12:00:00.000Z' },
      ]);
      await addMemories(gateway, b, { content: 'only', created_at: '2024-02-02T00:00:00.000Z' });
      const response = await memoryApi(gateway, 'GET', '/namespaces');
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
      await addMemories(gateway, namespace, { content: 'not for the other key' });
      const response = await memoryApi(gateway, 'GET', '/namespaces', undefined, OTHER_KEY);
      expect(response.status).toBe(200);
      const names = (await readJson(response)).data.map(
        (entry: { namespace: string }) => entry.namespace,
      );
      expect(names).not.toContain(namespace);
    });
  });

  describe('POST /v1/memory/namespaces/{ns}/memories', () => {
    it('should store one memory and answer 201 with its id', async () => {
      const namespace = freshNamespace('one');
      const response = await memoryApi(gateway, 'POST', memoriesPath(namespace), {
        content: 'I like green tea.',
        metadata: { source: 'import', tags: ['drinks'] },
      });
      expect(response.status).toBe(201);
      const body = await readJson(response);
      expect(body).toEqual({
        object: 'list',
        data: [{ id: expect.stringMatching(UUID), duplicate: false }],
        inserted: 1,
        skipped: 0,
      });
      const stored = await memoryApi(
        gateway,
        'GET',
        memoriesPath(namespace, `/${body.data[0].id}`),
      );
      expect(stored.status).toBe(200);
      const memory = await readJson(stored);
      const { request_id: requestId, ...rest } = memory;
      // The contract leaves it open for API writes: none, or the id of the POST that stored it.
      expect([null, response.headers.get('x-request-id')]).toContain(requestId);
      expect(rest).toEqual({
        id: body.data[0].id,
        object: 'memory',
        namespace,
        role: 'user',
        content: 'I like green tea.',
        model: null,
        metadata: { source: 'import', tags: ['drinks'] },
        created_at: expect.stringMatching(ISO_MS),
      });
      expect(Math.abs(Date.now() - Date.parse(memory.created_at))).toBeLessThan(60000);
    });

    it('should store a batch, flag duplicates and keep roles and given times', async () => {
      const namespace = freshNamespace('batch');
      const [existing] = await addMemories(gateway, namespace, { content: 'I like green tea.' });
      const response = await memoryApi(gateway, 'POST', memoriesPath(namespace), [
        { content: 'I like green tea.' },
        { content: 'Green tea it is.', role: 'assistant', created_at: 1700000000 },
        { content: 'Be brief.', role: 'system', created_at: '2024-05-06T07:08:09.123Z' },
        { content: 'Green tea it is.', role: 'assistant' },
      ]);
      expect(response.status).toBe(201);
      const body = await readJson(response);
      expect(body).toMatchObject({ object: 'list', inserted: 2, skipped: 2 });
      expect(body.data).toEqual([
        { id: existing, duplicate: true },
        { id: expect.stringMatching(UUID), duplicate: false },
        { id: expect.stringMatching(UUID), duplicate: false },
        { id: body.data[1].id, duplicate: true },
      ]);
      const byContent = new Map(
        (await listMemories(gateway, namespace)).map((memory) => [memory.content, memory]),
      );
      expect(byContent.size).toBe(3);
      expect(byContent.get('Green tea it is.')).toMatchObject({
        role: 'assistant',
        created_at: '2023-11-14T22:13:20.000Z',
      });
      expect(byContent.get('Be brief.')).toMatchObject({
        role: 'system',
        created_at: '2024-05-06T07:08:09.123Z',
      });
    });

    it('should treat the same content under another role as a different memory', async () => {
      const namespace = freshNamespace('roles');
      const response = await memoryApi(gateway, 'POST', memoriesPath(namespace), [
        { content: 'Same words.' },
        { content: 'Same words.', role: 'assistant' },
      ]);
      expect(await readJson(response)).toMatchObject({ inserted: 2, skipped: 0 });
    });

    it.each([
      ['content missing', {}, 'content'],
      ['content empty', { content: '' }, 'content'],
      ['content not a string', { content: 42 }, 'content'],
      ['an unknown role', { content: 'x', role: 'robot' }, 'role'],
      ['metadata not an object', { content: 'x', metadata: 'tag' }, 'metadata'],
      ['an unparseable created_at', { content: 'x', created_at: 'yesterday' }, 'created_at'],
      ['a bad item in a batch', [{ content: 'fine' }, { content: '' }], '[1].content'],
    ])(
      'should refuse %s with 400 naming the field, storing nothing',
      async (_label, body, param) => {
        const namespace = freshNamespace('invalid');
        const response = await memoryApi(gateway, 'POST', memoriesPath(namespace), body);
        await expectError(response, 400, { type: 'invalid_request_error', param });
        expect(await listMemories(gateway, namespace)).toEqual([]);
      },
    );

    it.each([
      ['an empty batch', []],
      ['a batch of 1001', Array.from({ length: 1001 }, (_, i) => ({ content: `item ${i}` }))],
      ['a string', 'just text'],
    ])('should refuse %s with 400', async (_label, body) => {
      const namespace = freshNamespace('invalid-batch');
      const response = await memoryApi(gateway, 'POST', memoriesPath(namespace), body);
      await expectError(response, 400, { type: 'invalid_request_error' });
      expect(await listMemories(gateway, namespace)).toEqual([]);
    });

    it('should accept a batch of 1000', async () => {
      const namespace = freshNamespace('big-batch');
      const items = Array.from({ length: 1000 }, (_, i) => ({ content: `item ${i}` }));
      const response = await memoryApi(gateway, 'POST', memoriesPath(namespace), items);
      expect(response.status).toBe(201);
      expect(await readJson(response)).toMatchObject({ inserted: 1000, skipped: 0 });
    });

    it.each(['a b', 'x'.repeat(129), 'a%2Fb'])(
      'should refuse the namespace %s in the path with 400 param namespace',
      async (namespace) => {
        // Encoded here, except the pre-encoded slash, which must reach the route as one segment.
        const path = namespace.includes('%') ? namespace : encodeURIComponent(namespace);
        const response = await memoryApi(gateway, 'POST', `/namespaces/${path}/memories`, {
          content: 'x',
        });
        await expectError(response, 400, { param: 'namespace' });
      },
    );
  });

  describe('GET and DELETE /v1/memory/namespaces/{ns}/memories/{id}', () => {
    it('should get a memory, delete it, then answer 404 memory_not_found', async () => {
      const namespace = freshNamespace('delete');
      const [id, kept] = await addMemories(gateway, namespace, [
        { content: 'to delete' },
        { content: 'to keep' },
      ]);
      expect((await memoryApi(gateway, 'GET', memoriesPath(namespace, `/${id}`))).status).toBe(200);
      const deleted = await memoryApi(gateway, 'DELETE', memoriesPath(namespace, `/${id}`));
      expect(deleted.status).toBe(200);
      expect(await readJson(deleted)).toEqual({ id, object: 'memory.deleted', deleted: true });
      await expectError(await memoryApi(gateway, 'GET', memoriesPath(namespace, `/${id}`)), 404, {
        code: 'memory_not_found',
      });
      await expectError(
        await memoryApi(gateway, 'DELETE', memoriesPath(namespace, `/${id}`)),
        404,
        { code: 'memory_not_found' },
      );
      expect((await listMemories(gateway, namespace)).map((memory) => memory.id)).toEqual([kept]);
    });

    it('should answer 404 for an id in another namespace or that is not an id', async () => {
      const namespace = freshNamespace('where');
      const [id] = await addMemories(gateway, namespace, { content: 'here' });
      await expectError(
        await memoryApi(gateway, 'GET', memoriesPath(freshNamespace('other'), `/${id}`)),
        404,
        { code: 'memory_not_found' },
      );
      await expectError(
        await memoryApi(gateway, 'GET', memoriesPath(namespace, '/not-a-uuid')),
        404,
        { code: 'memory_not_found' },
      );
    });

    it("should neither show nor delete another key's memory", async () => {
      const namespace = freshNamespace('tenancy');
      const [id] = await addMemories(gateway, namespace, { content: 'private to key 1' });
      const path = memoriesPath(namespace, `/${id}`);
      await expectError(await memoryApi(gateway, 'GET', path, undefined, OTHER_KEY), 404, {
        code: 'memory_not_found',
      });
      await expectError(await memoryApi(gateway, 'DELETE', path, undefined, OTHER_KEY), 404, {
        code: 'memory_not_found',
      });
      expect((await page(namespace, '', OTHER_KEY)).data).toEqual([]);
      expect((await memoryApi(gateway, 'GET', path)).status).toBe(200);
    });
  });

  describe('GET /v1/memory/namespaces/{ns}/memories', () => {
    it('should page newest first with limit and after, without duplicates or gaps', async () => {
      const namespace = freshNamespace('paging');
      const start = Date.parse('2024-01-01T00:00:00.000Z');
      // Inserted in shuffled order so the order can only come from created_at.
      const order = Array.from({ length: 25 }, (_, i) => (i * 7) % 25);
      await addMemories(
        gateway,
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
        const current = await page(namespace, query);
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
        gateway,
        namespace,
        Array.from({ length: 7 }, (_, i) => ({ content: `batch item ${i}` })),
      );
      const seen: string[] = [];
      let query = '?limit=2';
      for (let i = 0; i < 10; i++) {
        const current = await page(namespace, query);
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
        gateway,
        namespace,
        Array.from({ length: 21 }, (_, i) => ({ content: `entry ${i}` })),
      );
      const first = await page(namespace, '');
      expect(first.data).toHaveLength(20);
      expect(first.has_more).toBe(true);
    });

    it.each(['0', '101', 'ten', '-1'])(
      'should refuse limit=%s with 400 param limit',
      async (limit) => {
        await expectError(
          await memoryApi(gateway, 'GET', memoriesPath('anything', `?limit=${limit}`)),
          400,
          { type: 'invalid_request_error', param: 'limit' },
        );
      },
    );

    it.each(['garbage', Buffer.from('["not a date","1"]').toString('base64url')])(
      'should refuse the cursor %s with 400 param after',
      async (cursor) => {
        await expectError(
          await memoryApi(gateway, 'GET', memoriesPath('anything', `?after=${cursor}`)),
          400,
          { type: 'invalid_request_error', param: 'after' },
        );
      },
    );

    it('should answer an empty page for an unknown namespace', async () => {
      expect(await page(freshNamespace('empty'), '')).toEqual({
        object: 'list',
        data: [],
        has_more: false,
        next_cursor: null,
      });
    });
  });

  it('should index each user turn with the turn before it only for a conversation=true batch', async () => {
    const conversation = [
      { role: 'assistant', content: "What is your sister's name?" },
      { role: 'user', content: 'Maya' },
    ];
    const search = async (namespace: string) => {
      const response = await memoryApi(gateway, 'GET', memoriesPath(namespace, '?q=sister'));
      expect(response.status).toBe(200);
      return ((await readJson(response)) as { data: Memory[] }).data.map((m) => m.content);
    };
    const asConversation = freshNamespace('conversation');
    const added = await memoryApi(
      gateway,
      'POST',
      memoriesPath(asConversation, '?conversation=true'),
      conversation,
    );
    expect(added.status).toBe(201);
    expect(await search(asConversation)).toContain('Maya');

    const separate = freshNamespace('separate');
    await addMemories(gateway, separate, conversation);
    expect(await search(separate)).not.toContain('Maya');

    const bad = await memoryApi(
      gateway,
      'POST',
      memoriesPath(separate, '?conversation=yes'),
      conversation,
    );
    expect(bad.status).toBe(400);
    expect(((await readJson(bad)) as { error: { param: string } }).error.param).toBe(
      'conversation',
    );
  });

  describe('search with q=', () => {
    let namespace: string;

    beforeAll(async () => {
      namespace = freshNamespace('search');
      await addMemories(gateway, namespace, [
        { content: 'Dogs are loyal; my dog Rex loves other dogs.' },
        { content: 'My dog is called Rex.' },
        { content: 'The weather is nice today.' },
        { content: 'I have two cats and a parrot.' },
      ]);
    });

    it('should return stemmed matches, scored, best first', async () => {
      const result = await page(namespace, '?q=dogs');
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
      expect((await page(namespace, '?q=submarine')).data).toEqual([]);
      expect((await page(namespace, '?q=dogs', OTHER_KEY)).data).toEqual([]);
    });

    it('should return at most 10 by default, and honour limit', async () => {
      const many = freshNamespace('search-many');
      await addMemories(
        gateway,
        many,
        // Among other notes: a word in every memory of a namespace tells them nothing apart
        // (BM25's idf near 0), and scores under the default MEMORY_MIN_SCORE.
        Array.from({ length: 24 }, (_, i) => ({
          content: `A note about ${i % 2 === 0 ? 'gardening' : 'cooking'} number ${i}.`,
        })),
      );
      expect((await page(many, '?q=gardening')).data).toHaveLength(10);
      expect((await page(many, '?q=gardening&limit=3')).data).toHaveLength(3);
    });
  });

  describe('DELETE /v1/memory/namespaces/{ns}', () => {
    it('should erase the namespace and leave the others alone', async () => {
      const [gone, kept] = [freshNamespace('erase'), freshNamespace('keep')];
      await addMemories(gateway, gone, [{ content: 'a' }, { content: 'b' }, { content: 'c' }]);
      await addMemories(gateway, kept, { content: 'stays' });
      await addMemories(gateway, gone, { content: 'other key, same name' }, OTHER_KEY);

      const response = await memoryApi(gateway, 'DELETE', `/namespaces/${gone}`);
      expect(response.status).toBe(200);
      expect(await readJson(response)).toEqual({
        object: 'memory.namespace.deleted',
        namespace: gone,
        deleted: true,
        deleted_count: 3,
      });
      expect((await page(gone, '')).data).toEqual([]);
      const names = (await readJson(await memoryApi(gateway, 'GET', '/namespaces'))).data.map(
        (entry: { namespace: string }) => entry.namespace,
      );
      expect(names).not.toContain(gone);
      expect(names).toContain(kept);
      expect((await listMemories(gateway, kept)).map((memory) => memory.content)).toEqual([
        'stays',
      ]);
      expect((await listMemories(gateway, gone, OTHER_KEY)).map((m) => m.content)).toEqual([
        'other key, same name',
      ]);
    });

    it('should answer deleted_count 0 for an empty namespace', async () => {
      const namespace = freshNamespace('never-used');
      const response = await memoryApi(gateway, 'DELETE', `/namespaces/${namespace}`);
      expect(response.status).toBe(200);
      expect(await readJson(response)).toMatchObject({ namespace, deleted_count: 0 });
    });
  });

  it('should answer 401 without a key and store nothing', async () => {
    const namespace = freshNamespace('anonymous');
    const listed = await fetch(`${gateway.url}/v1/memory/namespaces`);
    expect(listed.status).toBe(401);
    const added = await fetch(`${gateway.url}/v1/memory${memoriesPath(namespace)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'sneaky' }),
    });
    expect(added.status).toBe(401);
    expect(await listMemories(gateway, namespace)).toEqual([]);
  });
});

describe('the memory API with MEMORY_ENABLED=false', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ MEMORY_ENABLED: 'false' });
  });
  afterAll(() => gateway.close());

  it.each([
    ['GET', '/namespaces'],
    ['GET', '/namespaces/default/memories'],
    ['POST', '/namespaces/default/memories'],
    ['DELETE', '/namespaces/default'],
  ])('should answer %s %s with 404 memory_disabled', async (method, path) => {
    const response = await memoryApi(
      gateway,
      method,
      path,
      method === 'POST' ? { content: 'x' } : undefined,
    );
    await expectError(response, 404, { code: 'memory_disabled' });
  });

  it('should answer the memory completions route with 404 memory_disabled, calling no upstream', async () => {
    const response = await postMemoryChat(gateway, chatBody(), { namespace: 'default' });
    await expectError(response, 404, { code: 'memory_disabled' });
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });
});
