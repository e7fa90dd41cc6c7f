import {
  addMemories,
  freshNamespace,
  listMemories,
  Memory,
  memoriesPath,
  memoryApi,
  memoryBackends,
} from './support/memory';
import { expectError, ISO_MS, UUID } from './support/memory-api';
import { bootMemoryGateway } from './support/memory-chat';
import { readJson } from './support/json';

describe.each(memoryBackends())('memory management API on $name', (backend) => {
  const booted = bootMemoryGateway(backend);

  describe('POST /v1/memory/namespaces/{ns}/memories', () => {
    it('should store one memory and answer 201 with its id', async () => {
      const namespace = freshNamespace('one');
      const response = await memoryApi(booted.gateway, 'POST', memoriesPath(namespace), {
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
        booted.gateway,
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
      const [existing] = await addMemories(booted.gateway, namespace, {
        content: 'I like green tea.',
      });
      const response = await memoryApi(booted.gateway, 'POST', memoriesPath(namespace), [
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
        (await listMemories(booted.gateway, namespace)).map((memory) => [memory.content, memory]),
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
      const response = await memoryApi(booted.gateway, 'POST', memoriesPath(namespace), [
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
        const response = await memoryApi(booted.gateway, 'POST', memoriesPath(namespace), body);
        await expectError(response, 400, { type: 'invalid_request_error', param });
        expect(await listMemories(booted.gateway, namespace)).toEqual([]);
      },
    );

    it.each([
      ['an empty batch', []],
      ['a batch of 1001', Array.from({ length: 1001 }, (_, i) => ({ content: `item ${i}` }))],
      ['a string', 'just text'],
    ])('should refuse %s with 400', async (_label, body) => {
      const namespace = freshNamespace('invalid-batch');
      const response = await memoryApi(booted.gateway, 'POST', memoriesPath(namespace), body);
      await expectError(response, 400, { type: 'invalid_request_error' });
      expect(await listMemories(booted.gateway, namespace)).toEqual([]);
    });

    it('should accept a batch of 1000', async () => {
      const namespace = freshNamespace('big-batch');
      const items = Array.from({ length: 1000 }, (_, i) => ({ content: `item ${i}` }));
      const response = await memoryApi(booted.gateway, 'POST', memoriesPath(namespace), items);
      expect(response.status).toBe(201);
      expect(await readJson(response)).toMatchObject({ inserted: 1000, skipped: 0 });
    });

    it.each(['a b', 'x'.repeat(129), 'a%2Fb'])(
      'should refuse the namespace %s in the path with 400 param namespace',
      async (namespace) => {
        // Encoded here, except the pre-encoded slash, which must reach the route as one segment.
        const path = namespace.includes('%') ? namespace : encodeURIComponent(namespace);
        const response = await memoryApi(booted.gateway, 'POST', `/namespaces/${path}/memories`, {
          content: 'x',
        });
        await expectError(response, 400, { param: 'namespace' });
      },
    );
  });

  it('should index each user turn with the turn before it only for a conversation=true batch', async () => {
    const conversation = [
      { role: 'assistant', content: "What is your sister's name?" },
      { role: 'user', content: 'Maya' },
    ];
    const search = async (namespace: string) => {
      const response = await memoryApi(booted.gateway, 'GET', memoriesPath(namespace, '?q=sister'));
      expect(response.status).toBe(200);
      return ((await readJson(response)) as { data: Memory[] }).data.map((m) => m.content);
    };
    const asConversation = freshNamespace('conversation');
    const added = await memoryApi(
      booted.gateway,
      'POST',
      memoriesPath(asConversation, '?conversation=true'),
      conversation,
    );
    expect(added.status).toBe(201);
    expect(await search(asConversation)).toContain('Maya');

    const separate = freshNamespace('separate');
    await addMemories(booted.gateway, separate, conversation);
    expect(await search(separate)).not.toContain('Maya');

    const bad = await memoryApi(
      booted.gateway,
      'POST',
      memoriesPath(separate, '?conversation=yes'),
      conversation,
    );
    expect(bad.status).toBe(400);
    expect(((await readJson(bad)) as { error: { param: string } }).error.param).toBe(
      'conversation',
    );
  });

  it('should answer 401 without a key and store nothing', async () => {
    const namespace = freshNamespace('anonymous');
    const listed = await fetch(`${booted.gateway.url}/v1/memory/namespaces`);
    expect(listed.status).toBe(401);
    const added = await fetch(`${booted.gateway.url}/v1/memory${memoriesPath(namespace)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'sneaky' }),
    });
    expect(added.status).toBe(401);
    expect(await listMemories(booted.gateway, namespace)).toEqual([]);
  });
});
