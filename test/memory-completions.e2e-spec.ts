import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';

import {
  authHeaders,
  readSse,
  sleep,
  startGateway,
  TEST_KEY,
  TestGateway,
} from './support/gateway';
import {
  addMemories,
  contents,
  freshNamespace,
  INJECTED_PREFIX,
  listMemories,
  memoryApi,
  memoryBackends,
  startMemoryGateway,
  memoryChatUrl,
  postMemoryChat,
  settleWrites,
  waitForMemories,
} from './support/memory';
import { readJson } from './support/json';

const OTHER_KEY = 'sk-gateway-test-key-2';
const ANSWER = 'Hello! How can I help you today?';
const FACT = 'My dog is called Rex.';
const QUESTION = 'What is my dog called?';
// One gateway per backend for the whole file.
const BOOT_TIMEOUT_MS = 60000;
const TEST_TIMEOUT_MS = 30000;

type Message = { role: string; content: string };

function ask(messages: Message[], extra: Record<string, unknown> = {}) {
  return { model: 'gpt-4o-mini', messages, ...extra };
}

/** What reached the upstream for the latest chat request. */
function lastUpstreamMessages(gateway: TestGateway): Message[] {
  const requests = gateway.upstream.chatRequests();
  expect(requests.length).toBeGreaterThan(0);
  return requests[requests.length - 1].body.messages;
}

function injectedMessages(messages: Message[]): Message[] {
  return messages.filter(
    (message) => message.role === 'system' && message.content.startsWith(INJECTED_PREFIX),
  );
}

/** The content the gateway streamed, from its SSE frames. */
function streamedText(frames: string[]): string {
  return frames
    .filter((frame) => frame !== '[DONE]')
    .map((frame) => JSON.parse(frame).choices[0]?.delta?.content ?? '')
    .join('');
}

async function tell(
  gateway: TestGateway,
  namespace: string,
  content: string,
  key = TEST_KEY,
): Promise<void> {
  const response = await postMemoryChat(
    gateway,
    ask([{ role: 'user', content }]),
    { namespace },
    authHeaders(key),
  );
  expect(response.status).toBe(200);
  await response.text();
  await waitForMemories(gateway, namespace, (all) => all.some((m) => m.content === content), key);
}

describe.each(memoryBackends())('POST /v1/memory/chat/completions on $name', (backend) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startMemoryGateway(backend, OTHER_KEY);
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await gateway?.close();
    await backend.teardown();
  });
  beforeEach(() => gateway.upstream.reset());

  describe('after a fact was told in a namespace', () => {
    let namespace: string;

    beforeAll(async () => {
      namespace = freshNamespace('pets');
      await tell(gateway, namespace, FACT);
    }, TEST_TIMEOUT_MS);

    it(
      'should inject it into a later request there, after the caller system message, once',
      async () => {
        const sent = ask(
          [
            { role: 'system', content: 'You are terse.' },
            { role: 'user', content: QUESTION },
          ],
          { temperature: 0.2 },
        );
        const response = await postMemoryChat(gateway, sent, { namespace });
        expect(response.status).toBe(200);
        expect((await readJson(response)).choices[0].message.content).toBe(ANSWER);
        expect(response.headers.get('x-memory-namespace')).toBe(namespace);
        expect(response.headers.get('x-memory-status')).toBe('ok');
        expect(response.headers.get('x-memory-injected')).toBe('1');
        expect(response.headers.get('x-memory-retrieval-ms')).toMatch(/^\d+(\.\d+)?$/);

        const [received] = gateway.upstream.chatRequests();
        const { messages, ...rest } = received.body;
        const { messages: sentMessages, ...sentRest } = sent;
        expect(rest).toEqual(sentRest);
        expect(messages).toHaveLength(3);
        expect(messages[0]).toEqual(sentMessages[0]);
        expect(messages[2]).toEqual(sentMessages[1]);
        expect(messages[1].role).toBe('system');
        expect(messages[1].content.startsWith(INJECTED_PREFIX)).toBe(true);
        expect(messages[1].content).toMatch(
          /^- \[\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\] user: My dog is called Rex\.$/m,
        );
      },
      TEST_TIMEOUT_MS,
    );

    it('should put it after every leading system and developer message', async () => {
      const caller = [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: 'Answer in English.' },
        { role: 'user', content: QUESTION },
      ];
      const response = await postMemoryChat(gateway, ask(caller), {
        namespace,
        memory: 'read',
      });
      expect(response.status).toBe(200);
      const messages = lastUpstreamMessages(gateway);
      expect(messages).toHaveLength(4);
      expect(messages.slice(0, 2)).toEqual(caller.slice(0, 2));
      expect(messages[2].content).toContain(FACT);
      expect(messages[3]).toEqual(caller[2]);
    });

    it('should put it first when the caller sends no system message', async () => {
      const caller = [{ role: 'user', content: QUESTION }];
      await postMemoryChat(gateway, ask(caller), { namespace, memory: 'read' });
      const messages = lastUpstreamMessages(gateway);
      expect(messages).toHaveLength(2);
      expect(messages[0].content).toContain(FACT);
      expect(messages[1]).toEqual(caller[0]);
    });

    it('should not inject a memory the request already carries', async () => {
      const caller = [
        { role: 'user', content: FACT },
        { role: 'assistant', content: 'Nice name!' },
        { role: 'user', content: QUESTION },
      ];
      const response = await postMemoryChat(gateway, ask(caller), {
        namespace,
        memory: 'read',
      });
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(lastUpstreamMessages(gateway)).toEqual(caller);
    });

    it('should not inject it in another namespace of the same key', async () => {
      const caller = [{ role: 'user', content: QUESTION }];
      const response = await postMemoryChat(gateway, ask(caller), {
        namespace: freshNamespace('elsewhere'),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(lastUpstreamMessages(gateway)).toEqual(caller);
    });

    it('should not inject it for another key using the same namespace name', async () => {
      const caller = [{ role: 'user', content: QUESTION }];
      const response = await postMemoryChat(
        gateway,
        ask(caller),
        { namespace },
        authHeaders(OTHER_KEY),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-namespace')).toBe(namespace);
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(lastUpstreamMessages(gateway)).toEqual(caller);
      expect(JSON.stringify(gateway.upstream.chatRequests())).not.toContain('Rex');
    });
  });

  it('should store the trailing user messages and the answer, with model and request id', async () => {
    const namespace = freshNamespace('turn');
    const response = await postMemoryChat(
      gateway,
      ask([
        { role: 'user', content: 'An old question about parsley.' },
        { role: 'assistant', content: 'An old answer about parsley.' },
        { role: 'user', content: 'I grow basil on my balcony.' },
        { role: 'user', content: 'I also grow mint.' },
      ]),
      { namespace },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-memory-status')).toBe('ok');
    const requestId = response.headers.get('x-request-id');
    const memories = await waitForMemories(gateway, namespace, (all) => all.length >= 3);
    expect(contents(memories)).toEqual(
      [ANSWER, 'I also grow mint.', 'I grow basil on my balcony.'].sort(),
    );
    const answer = memories.find((memory) => memory.content === ANSWER);
    const user = memories.find((memory) => memory.content === 'I also grow mint.');
    expect(answer).toMatchObject({
      role: 'assistant',
      model: 'gpt-4o-mini',
      request_id: requestId,
    });
    expect(user).toMatchObject({ role: 'user', model: 'gpt-4o-mini', request_id: requestId });
    expect(Date.now() - Date.parse(answer!.created_at)).toBeLessThan(60000);
  });

  it('should store the concatenated streamed answer', async () => {
    const namespace = freshNamespace('stream');
    gateway.upstream.enqueue({ chunks: ['Rex ', 'is ', 'a ', 'very ', 'good ', 'dog.'] });
    const response = await postMemoryChat(
      gateway,
      ask([{ role: 'user', content: 'Tell me about Rex.' }], { stream: true }),
      { namespace },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-memory-namespace')).toBe(namespace);
    expect(response.headers.get('x-memory-status')).toBe('ok');
    const frames = await readSse(response);
    expect(frames[frames.length - 1]).toBe('[DONE]');
    const streamed = streamedText(frames);
    expect(streamed).toBe('Rex is a very good dog.');
    const memories = await waitForMemories(gateway, namespace, (all) =>
      all.some((memory) => memory.role === 'assistant'),
    );
    expect(memories.find((memory) => memory.role === 'assistant')?.content).toBe(streamed);
    expect(memories.find((memory) => memory.role === 'user')?.content).toBe('Tell me about Rex.');
  });

  it('should inject into a streamed request too', async () => {
    const namespace = freshNamespace('stream-read');
    await addMemories(gateway, namespace, { content: 'My cat is called Tom.' });
    const response = await postMemoryChat(
      gateway,
      ask([{ role: 'user', content: 'What is my cat called?' }], { stream: true }),
      { namespace, memory: 'read' },
    );
    expect(response.headers.get('x-memory-injected')).toBe('1');
    await readSse(response);
    expect(injectedMessages(lastUpstreamMessages(gateway))[0].content).toContain(
      'user: My cat is called Tom.',
    );
  });

  it('should list injected memories oldest first, each with its UTC minute and role', async () => {
    const namespace = freshNamespace('order');
    await addMemories(gateway, namespace, [
      { content: 'Rex likes long walks.', created_at: '2024-02-03T04:05:06.000Z' },
      { content: 'Rex is a fine name for a dog.', role: 'assistant', created_at: 1709528400 },
      { content: FACT, created_at: '2024-01-02T03:04:05.000Z' },
      { content: 'The weather is nice today.', created_at: '2024-01-01T00:00:00.000Z' },
    ]);
    const response = await postMemoryChat(
      gateway,
      ask([{ role: 'user', content: 'Tell me about Rex, my dog.' }]),
      { namespace, memory: 'read' },
    );
    expect(response.headers.get('x-memory-injected')).toBe('3');
    const [injected] = injectedMessages(lastUpstreamMessages(gateway));
    expect(injected.content.split('\n').slice(1)).toEqual([
      '- [2024-01-02 03:04 UTC] user: My dog is called Rex.',
      '- [2024-02-03 04:05 UTC] user: Rex likes long walks.',
      '- [2024-03-04 05:00 UTC] assistant: Rex is a fine name for a dog.',
    ]);
  });

  it('should write nothing when the client goes away mid-stream', async () => {
    const namespace = freshNamespace('client-abort');
    gateway.upstream.enqueue({
      chunks: Array.from({ length: 10 }, (_, i) => `part${i} `),
      chunkDelayMs: 100,
    });
    const controller = new AbortController();
    const response = await fetch(memoryChatUrl(gateway, { namespace }), {
      method: 'POST',
      headers: authHeaders(),
      body: JSON.stringify(
        ask([{ role: 'user', content: 'A question I will not wait for.' }], { stream: true }),
      ),
      signal: controller.signal,
    });
    await response.body!.getReader().read();
    controller.abort();
    // Long enough for the upstream to have finished the answer the client no longer reads.
    await sleep(1500);
    const { memories, barrier } = await settleWrites(gateway, namespace);
    expect(contents(memories)).toEqual([...barrier].sort());
  });

  it('should write nothing when the upstream stream breaks after it started', async () => {
    const namespace = freshNamespace('broken-stream');
    gateway.upstream.enqueue({ drop: 'after-first-chunk' });
    const response = await postMemoryChat(
      gateway,
      ask([{ role: 'user', content: 'A question whose answer breaks off.' }], { stream: true }),
      { namespace },
    );
    expect(response.status).toBe(200);
    expect((await readSse(response)).join('\n')).toContain('"error"');
    const { memories, barrier } = await settleWrites(gateway, namespace);
    expect(contents(memories)).toEqual([...barrier].sort());
  });

  describe('memory modes', () => {
    const CAT = 'My cat is called Tom.';
    const CAT_QUESTION = 'What is my cat called?';

    it('off: should neither inject nor write', async () => {
      const namespace = freshNamespace('off');
      await addMemories(gateway, namespace, { content: CAT });
      const caller = [{ role: 'user', content: CAT_QUESTION }];
      const response = await postMemoryChat(gateway, ask(caller), { namespace, memory: 'off' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-status')).toBe('off');
      expect(response.headers.get('x-memory-namespace')).toBe(namespace);
      expect(response.headers.get('x-memory-injected')).toBeNull();
      expect(lastUpstreamMessages(gateway)).toEqual(caller);
      const { memories, barrier } = await settleWrites(gateway, namespace);
      expect(contents(memories)).toEqual([CAT, ...barrier].sort());
    });

    it('read: should inject but not write', async () => {
      const namespace = freshNamespace('read');
      await addMemories(gateway, namespace, { content: CAT });
      const response = await postMemoryChat(
        gateway,
        ask([{ role: 'user', content: CAT_QUESTION }]),
        { namespace, memory: 'read' },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-injected')).toBe('1');
      expect(injectedMessages(lastUpstreamMessages(gateway))).toHaveLength(1);
      const { memories, barrier } = await settleWrites(gateway, namespace);
      expect(contents(memories)).toEqual([CAT, ...barrier].sort());
    });

    it('write: should write but not inject', async () => {
      const namespace = freshNamespace('write');
      await addMemories(gateway, namespace, { content: CAT });
      const caller = [{ role: 'user', content: CAT_QUESTION }];
      const response = await postMemoryChat(gateway, ask(caller), { namespace, memory: 'write' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-status')).toBe('ok');
      expect(response.headers.get('x-memory-injected')).toBeNull();
      expect(lastUpstreamMessages(gateway)).toEqual(caller);
      await waitForMemories(gateway, namespace, (all) =>
        all.some((memory) => memory.content === CAT_QUESTION),
      );
    });

    it('readwrite by default: should inject and write', async () => {
      const namespace = freshNamespace('readwrite');
      await addMemories(gateway, namespace, { content: CAT });
      const response = await postMemoryChat(
        gateway,
        ask([{ role: 'user', content: CAT_QUESTION }]),
        { namespace },
      );
      expect(response.headers.get('x-memory-injected')).toBe('1');
      await waitForMemories(gateway, namespace, (all) =>
        all.some((memory) => memory.content === CAT_QUESTION),
      );
    });
  });

  describe('validation', () => {
    it.each([
      ['with a space', 'a b'],
      ['of 129 characters', 'x'.repeat(129)],
      ['empty', ''],
      ['with a slash', 'a/b'],
    ])('should refuse a namespace %s with 400 param namespace', async (_label, namespace) => {
      const response = await postMemoryChat(gateway, ask([{ role: 'user', content: 'hi' }]), {
        namespace,
      });
      expect(response.status).toBe(400);
      expect((await readJson(response)).error).toMatchObject({
        type: 'invalid_request_error',
        param: 'namespace',
      });
      expect(gateway.upstream.chatRequests()).toHaveLength(0);
    });

    it('should accept a namespace of 128 characters from the allowed set', async () => {
      const namespace = `Ab9._:@-${'z'.repeat(120)}`;
      const response = await postMemoryChat(gateway, ask([{ role: 'user', content: 'hi' }]), {
        namespace,
        memory: 'read',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-namespace')).toBe(namespace);
    });

    it.each(['bogus', 'rw', 'on'])(
      'should refuse memory=%s with 400 param memory',
      async (memory) => {
        const response = await postMemoryChat(gateway, ask([{ role: 'user', content: 'hi' }]), {
          namespace: 'fine',
          memory,
        });
        expect(response.status).toBe(400);
        expect((await readJson(response)).error).toMatchObject({
          type: 'invalid_request_error',
          param: 'memory',
        });
        expect(gateway.upstream.chatRequests()).toHaveLength(0);
      },
    );
  });

  it("should use the key's default namespace when none is given", async () => {
    const content = 'I prefer window seats.';
    const response = await postMemoryChat(gateway, ask([{ role: 'user', content }]));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-memory-namespace')).toBe('default');
    await waitForMemories(gateway, 'default', (all) => all.some((m) => m.content === content));
  });

  it.each([500, 400])('should write nothing when the upstream answers %d', async (status) => {
    const namespace = freshNamespace(`upstream-${status}`);
    gateway.upstream.enqueue({ status });
    const response = await postMemoryChat(
      gateway,
      ask([{ role: 'user', content: 'This turn failed upstream.' }]),
      { namespace },
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    await response.text();
    const { memories, barrier } = await settleWrites(gateway, namespace);
    expect(contents(memories)).toEqual([...barrier].sort());
  });

  it('should store an exact duplicate turn once', async () => {
    const namespace = freshNamespace('dupes');
    const content = 'I live in Lisbon.';
    for (let i = 0; i < 2; i++) {
      const response = await postMemoryChat(gateway, ask([{ role: 'user', content }]), {
        namespace,
        memory: 'write',
      });
      expect(response.status).toBe(200);
      await response.text();
    }
    const { memories, barrier } = await settleWrites(gateway, namespace);
    expect(contents(memories)).toEqual([ANSWER, content, ...barrier].sort());
  });

  it("should find a short answer later by the assistant's question it answered", async () => {
    const namespace = freshNamespace('neighbour');
    const answered = await postMemoryChat(
      gateway,
      ask([
        { role: 'user', content: 'Can you help me plan a birthday?' },
        { role: 'assistant', content: "Sure! What is your sister's name?" },
        { role: 'user', content: 'Maya' },
      ]),
      { namespace, memory: 'write' },
    );
    expect(answered.status).toBe(200);
    await answered.text();
    await waitForMemories(gateway, namespace, (memories) =>
      memories.some((memory) => memory.content === 'Maya'),
    );

    // "Maya" shares no word with the question; the question it answered does.
    const later = await postMemoryChat(
      gateway,
      ask([{ role: 'user', content: 'Remind me, what is my sister called?' }]),
      { namespace, memory: 'read' },
    );
    expect(later.status).toBe(200);
    const injected = injectedMessages(lastUpstreamMessages(gateway));
    expect(injected).toHaveLength(1);
    expect(injected[0].content).toMatch(/\] user: Maya$/m);
  });

  describe('the official openai SDK', () => {
    let client: OpenAI;

    beforeAll(() => {
      client = new OpenAI({
        baseURL: `${gateway.url}/v1/memory`,
        apiKey: TEST_KEY,
        maxRetries: 0,
        defaultQuery: { namespace: 'user123' },
      });
    });

    it('should create, then stream with what was remembered injected', async () => {
      const { data: completion, response } = await client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'My favourite colour is green.' }],
        })
        .withResponse();
      expect(completion.choices[0].message.content).toBe(ANSWER);
      expect(response.headers.get('x-memory-namespace')).toBe('user123');
      await waitForMemories(gateway, 'user123', (all) =>
        all.some((memory) => memory.content === 'My favourite colour is green.'),
      );

      gateway.upstream.enqueue({ chunks: ['Your ', 'favourite ', 'colour ', 'is ', 'green.'] });
      const { data: stream, response: streamed } = await client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'What is my favourite colour?' }],
          stream: true,
        })
        .withResponse();
      let text = '';
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
      }
      expect(text).toBe('Your favourite colour is green.');
      expect(streamed.headers.get('x-memory-namespace')).toBe('user123');
      expect(streamed.headers.get('x-memory-injected')).toBe('1');
      expect(injectedMessages(lastUpstreamMessages(gateway))[0].content).toContain(
        'My favourite colour is green.',
      );
      await waitForMemories(gateway, 'user123', (all) =>
        all.some((memory) => memory.role === 'assistant' && memory.content === text),
      );
    });
  });

  describe('with a keys file granting shared namespaces', () => {
    const ALICE = 'sk-alice-memory-key-0001';
    const BOB = 'sk-bob-memory-key-0001';
    const CAROL = 'sk-carol-memory-key-0001';
    let shared: TestGateway;
    let keysDir: string;

    beforeAll(async () => {
      keysDir = mkdtempSync(join(tmpdir(), 'gateway-memory-keys-'));
      const file = join(keysDir, 'keys.json');
      writeFileSync(
        file,
        JSON.stringify({
          keys: [
            { id: 'alice', key: ALICE, namespace: 'alice-home', sharedNamespaces: ['team'] },
            { id: 'bob', key: BOB, sharedNamespaces: ['team', 'ops'] },
            { id: 'carol', key: CAROL },
          ],
        }),
      );
      const env = await backend.setup();
      shared = await startGateway({ ...env, GATEWAY_KEYS_FILE: file, GATEWAY_API_KEYS: undefined });
      await memoryApi(shared, 'GET', '/namespaces', undefined, ALICE);
    }, BOOT_TIMEOUT_MS);
    afterAll(async () => {
      await shared?.close();
      rmSync(keysDir, { recursive: true, force: true });
    });
    beforeEach(() => shared.upstream.reset());

    async function askAs(key: string, namespace: string, content: string): Promise<Response> {
      const response = await postMemoryChat(
        shared,
        ask([{ role: 'user', content }]),
        { namespace, memory: 'read' },
        authHeaders(key),
      );
      expect(response.status).toBe(200);
      await response.text();
      return response;
    }

    it('should let every key granted a shared namespace see what the others told there', async () => {
      await tell(shared, 'team', 'The team standup is at 9am.', ALICE);
      const response = await askAs(BOB, 'team', 'When is the team standup?');
      expect(response.headers.get('x-memory-injected')).toBe('1');
      expect(injectedMessages(lastUpstreamMessages(shared))[0].content).toContain(
        'user: The team standup is at 9am.',
      );
      const listed = await listMemories(shared, 'team', BOB);
      expect(listed.map((memory) => memory.content)).toContain('The team standup is at 9am.');
      const namespaces = await readJson(
        await memoryApi(shared, 'GET', '/namespaces', undefined, BOB),
      );
      expect(namespaces.data).toContainEqual(
        expect.objectContaining({ namespace: 'team', shared: true }),
      );
    });

    it('should keep a key that was not granted it in a private namespace of that name', async () => {
      await tell(shared, 'team', 'The team retro is on Fridays.', ALICE);
      const response = await askAs(CAROL, 'team', 'When is the team retro?');
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(lastUpstreamMessages(shared)).toEqual([
        { role: 'user', content: 'When is the team retro?' },
      ]);
    });

    it('should keep the private namespaces of keys sharing one apart', async () => {
      await tell(shared, 'private', 'My locker code is 4512.', ALICE);
      const response = await askAs(BOB, 'private', 'What is my locker code?');
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(lastUpstreamMessages(shared)).toEqual([
        { role: 'user', content: 'What is my locker code?' },
      ]);
    });

    it('should list every granted shared namespace, even an empty one', async () => {
      const response = await memoryApi(shared, 'GET', '/namespaces', undefined, BOB);
      expect(response.status).toBe(200);
      expect((await readJson(response)).data).toContainEqual({
        object: 'memory.namespace',
        namespace: 'ops',
        memory_count: 0,
        last_created_at: null,
        shared: true,
      });
      const carol = await readJson(await memoryApi(shared, 'GET', '/namespaces', undefined, CAROL));
      expect(carol.data.map((entry: { namespace: string }) => entry.namespace)).not.toContain(
        'ops',
      );
    });

    it("should use the key's own default namespace from the keys file", async () => {
      const content = 'Alice drinks oat milk.';
      const response = await postMemoryChat(
        shared,
        ask([{ role: 'user', content }]),
        {},
        authHeaders(ALICE),
      );
      expect(response.headers.get('x-memory-namespace')).toBe('alice-home');
      await waitForMemories(
        shared,
        'alice-home',
        (all) => all.some((m) => m.content === content),
        ALICE,
      );
    });
  });
});
