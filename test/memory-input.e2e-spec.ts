import { authHeaders, readSse, sleep, TEST_KEY, TestGateway } from './support/gateway';
import { readJson } from './support/json';
import {
  addMemories,
  freshNamespace,
  listMemories,
  Memory,
  memoriesPath,
  memoryApi,
  memoryBackends,
  postMemoryChat,
  startMemoryGateway,
  waitForMemories,
} from './support/memory';

const OTHER_KEY = 'sk-gateway-test-key-2';
const BOOT_TIMEOUT_MS = 60000;
const MAX_MEMORY_CHARS = 32_000;

function cursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function expectBadParam(response: Response, param: string): Promise<void> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status: 400 });
  expect(JSON.parse(text).error).toMatchObject({ type: 'invalid_request_error', param });
}

describe.each(memoryBackends())('memory input rules on $name', (backend) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startMemoryGateway(backend, OTHER_KEY);
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await gateway?.close();
    await backend.teardown();
  });

  async function search(namespace: string, q: string, key = TEST_KEY): Promise<Memory[]> {
    const path = memoriesPath(namespace, `?q=${encodeURIComponent(q)}&limit=100`);
    const response = await memoryApi(gateway, 'GET', path, undefined, key);
    expect(response.status).toBe(200);
    return ((await readJson(response)) as { data: Memory[] }).data;
  }

  it('should keep one key writing turns the store once refused from delaying another key', async () => {
    const poisoned = freshNamespace('poison');
    const huge = `echo: ${'lorem ipsum '.repeat(220_000)}`;
    for (const content of ['bad\u0000byte about zebras', 'lone \ud800 surrogate', huge]) {
      const response = await postMemoryChat(
        gateway,
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] },
        { namespace: poisoned },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-status')).toBe('ok');
      await response.text();
    }
    const other = freshNamespace('bystander');
    const told = await postMemoryChat(
      gateway,
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'echo: my kayak is orange' }] },
      { namespace: other },
      authHeaders(OTHER_KEY),
    );
    expect(told.status).toBe(200);
    await told.text();
    const answeredAt = Date.now();
    while ((await search(other, 'kayak', OTHER_KEY)).length === 0) {
      expect(Date.now() - answeredAt).toBeLessThan(3000);
      await sleep(50);
    }

    // The turns themselves were kept, cleaned the one way the rules say.
    // Three user turns, the huge answer, and one "Hello" answer (the second is a duplicate).
    const kept = await waitForMemories(gateway, poisoned, (all) => all.length === 5);
    const byContent = new Map(kept.map((memory) => [memory.content, memory]));
    expect(byContent.has('badbyte about zebras')).toBe(true);
    expect(byContent.has('lone \ufffd surrogate')).toBe(true);
    const cut = kept.filter((memory) => memory.metadata.truncated === true);
    expect(cut).toHaveLength(2);
    for (const memory of cut) {
      expect(memory.content).toHaveLength(MAX_MEMORY_CHARS);
      expect(memory.metadata.original_chars).toBeGreaterThan(MAX_MEMORY_CHARS);
    }
  }, 60_000);

  it('should clean NUL and lone surrogates from API content and metadata the same way', async () => {
    const namespace = freshNamespace('clean');
    await addMemories(gateway, namespace, {
      content: 'tea\u0000 time',
      metadata: { 'k\u0000ey': 'va\u0000lue', odd: 'x\udc00y' },
    });
    const [memory] = await listMemories(gateway, namespace);
    expect(memory.content).toBe('tea time');
    expect(memory.metadata).toEqual({ key: 'value', odd: 'x\ufffdy' });
    expect((await search(namespace, 'tea\u0000')).map((m) => m.content)).toEqual(['tea time']);
    expect(await search(namespace, '\u0000')).toEqual([]);

    const onlyNul = await memoryApi(gateway, 'POST', memoriesPath(namespace), {
      content: '\u0000\u0000',
    });
    await expectBadParam(onlyNul, 'content');
  });

  it.each([
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-23:59',
    '2026-02-30T00:00:00Z',
    '1969-12-31T23:59:59Z',
    -1,
    4_102_444_800,
  ])('should refuse created_at %p with 400 naming it', async (createdAt) => {
    const namespace = freshNamespace('dates');
    const single = await memoryApi(gateway, 'POST', memoriesPath(namespace), {
      content: 'dated',
      created_at: createdAt,
    });
    await expectBadParam(single, 'created_at');
    const batch = await memoryApi(gateway, 'POST', memoriesPath(namespace), [
      { content: 'fine' },
      { content: 'dated', created_at: createdAt },
    ]);
    await expectBadParam(batch, '[1].created_at');
    expect(await listMemories(gateway, namespace)).toEqual([]);
  });

  it('should refuse metadata too large or too deep with 400 naming it', async () => {
    const namespace = freshNamespace('metadata');
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 10; level += 1) {
      deep = { inner: deep };
    }
    for (const metadata of [{ blob: 'x'.repeat(20_000) }, deep, ['not', 'an', 'object']]) {
      const response = await memoryApi(gateway, 'POST', memoriesPath(namespace), {
        content: 'with metadata',
        metadata,
      });
      await expectBadParam(response, 'metadata');
    }
  });

  it.each([
    ['q', '?q=a&q=b'],
    ['after', `?after=${cursor(['2026-01-01T00:00:00.000Z', '1'])}&after=x`],
    ['limit', '?limit=1&limit=2'],
  ])('should refuse %s given twice with 400 naming it', async (param, query) => {
    const response = await memoryApi(gateway, 'GET', memoriesPath(freshNamespace('twice'), query));
    await expectBadParam(response, param);
  });

  it('should refuse namespace given twice on the memory route', async () => {
    const response = await postMemoryChat(
      gateway,
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
      { namespace: 'a' },
    ).then(() =>
      fetch(`${gateway.url}/v1/memory/chat/completions?namespace=a&namespace=b`, {
        method: 'POST',
        headers: authHeaders(),
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      }),
    );
    await expectBadParam(response, 'namespace');
  });

  it.each([
    ['an impossible date', cursor(['2026-02-30T00:00:00Z', '1'])],
    ['year zero', cursor(['0000-01-01T00:00:00.000Z', '1'])],
    ['a date not as the list writes it', cursor(['2026-01-01T00:00:00Z', '1'])],
    ['a seq beyond safe integers', cursor(['2026-01-01T00:00:00.000Z', '99999999999999999999'])],
    ['a number for seq', cursor(['2026-01-01T00:00:00.000Z', 1])],
    ['three parts', cursor(['2026-01-01T00:00:00.000Z', '1', '2'])],
    ['not JSON', 'bm90IGpzb24'],
  ])('should refuse a cursor with %s as 400 after', async (_name, after) => {
    const response = await memoryApi(
      gateway,
      'GET',
      memoriesPath(freshNamespace('cursor'), `?after=${after}`),
    );
    await expectBadParam(response, 'after');
  });

  it('should bound a search answer in size, best first', async () => {
    const namespace = freshNamespace('bounded');
    const long = (n: number) => `lorem ${n} ${'ipsum dolor '.repeat(2_600)}`;
    await addMemories(
      gateway,
      namespace,
      Array.from({ length: 12 }, (_, n) => ({ content: long(n) })),
    );
    const found = await search(namespace, 'lorem ipsum');
    const chars = found.reduce((sum, memory) => sum + memory.content.length, 0);
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(12);
    expect(chars).toBeLessThanOrEqual(256_000);
  });

  it('should relay a usage chunk without choices on the memory route and keep the answer', async () => {
    const namespace = freshNamespace('usage-chunk');
    const base = {
      id: 'chatcmpl-x',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-4o-mini',
    };
    const frames = [
      {
        ...base,
        choices: [
          { index: 0, delta: { role: 'assistant', content: 'Paris' }, finish_reason: null },
        ],
      },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { ...base, usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } },
    ];
    gateway.upstream.enqueue({
      rawSse: `${frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join('')}data: [DONE]\n\n`,
    });
    const response = await postMemoryChat(
      gateway,
      {
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'Capital of France?' }],
      },
      { namespace },
    );
    expect(response.status).toBe(200);
    const data = await readSse(response);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((frame) => JSON.parse(frame) as Record<string, unknown>);
    expect(chunks.some((chunk) => 'error' in chunk)).toBe(false);
    expect(chunks.at(-1)).toMatchObject({ usage: { total_tokens: 6 } });
    const kept = await waitForMemories(gateway, namespace, (all) => all.length === 2);
    expect(kept.map((memory) => memory.content).sort()).toEqual(['Capital of France?', 'Paris']);
  });
});
