import OpenAI from 'openai';

import { authHeaders, readSse, TEST_KEY } from './support/gateway';
import {
  addMemories,
  freshNamespace,
  INJECTED_PREFIX,
  memoryBackends,
  postMemoryChat,
  waitForMemories,
} from './support/memory';
import {
  ANSWER,
  ask,
  bootMemoryGateway,
  injectedMessages,
  lastUpstreamMessages,
  OTHER_KEY,
  tell,
  TEST_TIMEOUT_MS,
} from './support/memory-chat';
import { readJson } from './support/json';

const FACT = 'My dog is called Rex.';
const QUESTION = 'What is my dog called?';

describe.each(memoryBackends())('POST /v1/memory/chat/completions on $name', (backend) => {
  const booted = bootMemoryGateway(backend);

  describe('after a fact was told in a namespace', () => {
    let namespace: string;

    beforeAll(async () => {
      namespace = freshNamespace('pets');
      await tell(booted.gateway, namespace, FACT);
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
        const response = await postMemoryChat(booted.gateway, sent, { namespace });
        expect(response.status).toBe(200);
        expect((await readJson(response)).choices[0].message.content).toBe(ANSWER);
        expect(response.headers.get('x-memory-namespace')).toBe(namespace);
        expect(response.headers.get('x-memory-status')).toBe('ok');
        expect(response.headers.get('x-memory-injected')).toBe('1');
        expect(response.headers.get('x-memory-retrieval-ms')).toMatch(/^\d+(\.\d+)?$/);

        const [received] = booted.gateway.upstream.chatRequests();
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
      const response = await postMemoryChat(booted.gateway, ask(caller), {
        namespace,
        memory: 'read',
      });
      expect(response.status).toBe(200);
      const messages = lastUpstreamMessages(booted.gateway);
      expect(messages).toHaveLength(4);
      expect(messages.slice(0, 2)).toEqual(caller.slice(0, 2));
      expect(messages[2].content).toContain(FACT);
      expect(messages[3]).toEqual(caller[2]);
    });

    it('should put it first when the caller sends no system message', async () => {
      const caller = [{ role: 'user', content: QUESTION }];
      await postMemoryChat(booted.gateway, ask(caller), { namespace, memory: 'read' });
      const messages = lastUpstreamMessages(booted.gateway);
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
      const response = await postMemoryChat(booted.gateway, ask(caller), {
        namespace,
        memory: 'read',
      });
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(lastUpstreamMessages(booted.gateway)).toEqual(caller);
    });

    it('should not inject it in another namespace of the same key', async () => {
      const caller = [{ role: 'user', content: QUESTION }];
      const response = await postMemoryChat(booted.gateway, ask(caller), {
        namespace: freshNamespace('elsewhere'),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(lastUpstreamMessages(booted.gateway)).toEqual(caller);
    });

    it('should not inject it for another key using the same namespace name', async () => {
      const caller = [{ role: 'user', content: QUESTION }];
      const response = await postMemoryChat(
        booted.gateway,
        ask(caller),
        { namespace },
        authHeaders(OTHER_KEY),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-namespace')).toBe(namespace);
      expect(response.headers.get('x-memory-injected')).toBe('0');
      expect(lastUpstreamMessages(booted.gateway)).toEqual(caller);
      expect(JSON.stringify(booted.gateway.upstream.chatRequests())).not.toContain('Rex');
    });
  });

  it('should inject into a streamed request too', async () => {
    const namespace = freshNamespace('stream-read');
    await addMemories(booted.gateway, namespace, { content: 'My cat is called Tom.' });
    const response = await postMemoryChat(
      booted.gateway,
      ask([{ role: 'user', content: 'What is my cat called?' }], { stream: true }),
      { namespace, memory: 'read' },
    );
    expect(response.headers.get('x-memory-injected')).toBe('1');
    await readSse(response);
    expect(injectedMessages(lastUpstreamMessages(booted.gateway))[0].content).toContain(
      'user: My cat is called Tom.',
    );
  });

  it('should list injected memories oldest first, each with its UTC minute and role', async () => {
    const namespace = freshNamespace('order');
    await addMemories(booted.gateway, namespace, [
      { content: 'Rex likes long walks.', created_at: '2024-02-03T04:05:06.000Z' },
      { content: 'Rex is a fine name for a dog.', role: 'assistant', created_at: 1709528400 },
      { content: FACT, created_at: '2024-01-02T03:04:05.000Z' },
      { content: 'The weather is nice today.', created_at: '2024-01-01T00:00:00.000Z' },
    ]);
    const response = await postMemoryChat(
      booted.gateway,
      ask([{ role: 'user', content: 'Tell me about Rex, my dog.' }]),
      { namespace, memory: 'read' },
    );
    expect(response.headers.get('x-memory-injected')).toBe('3');
    const [injected] = injectedMessages(lastUpstreamMessages(booted.gateway));
    expect(injected.content.split('\n').slice(1)).toEqual([
      '- [2024-01-02 03:04 UTC] user: My dog is called Rex.',
      '- [2024-02-03 04:05 UTC] user: Rex likes long walks.',
      '- [2024-03-04 05:00 UTC] assistant: Rex is a fine name for a dog.',
    ]);
  });

  it("should find a short answer later by the assistant's question it answered", async () => {
    const namespace = freshNamespace('neighbour');
    const answered = await postMemoryChat(
      booted.gateway,
      ask([
        { role: 'user', content: 'Can you help me plan a birthday?' },
        { role: 'assistant', content: "Sure! What is your sister's name?" },
        { role: 'user', content: 'Maya' },
      ]),
      { namespace, memory: 'write' },
    );
    expect(answered.status).toBe(200);
    await answered.text();
    await waitForMemories(booted.gateway, namespace, (memories) =>
      memories.some((memory) => memory.content === 'Maya'),
    );

    // "Maya" shares no word with the question; the question it answered does.
    const later = await postMemoryChat(
      booted.gateway,
      ask([{ role: 'user', content: 'Remind me, what is my sister called?' }]),
      { namespace, memory: 'read' },
    );
    expect(later.status).toBe(200);
    const injected = injectedMessages(lastUpstreamMessages(booted.gateway));
    expect(injected).toHaveLength(1);
    expect(injected[0].content).toMatch(/\] user: Maya$/m);
  });

  describe('the official openai SDK', () => {
    let client: OpenAI;

    beforeAll(() => {
      client = new OpenAI({
        baseURL: `${booted.gateway.url}/v1/memory`,
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
      await waitForMemories(booted.gateway, 'user123', (all) =>
        all.some((memory) => memory.content === 'My favourite colour is green.'),
      );

      booted.gateway.upstream.enqueue({
        chunks: ['Your ', 'favourite ', 'colour ', 'is ', 'green.'],
      });
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
      expect(injectedMessages(lastUpstreamMessages(booted.gateway))[0].content).toContain(
        'My favourite colour is green.',
      );
      await waitForMemories(booted.gateway, 'user123', (all) =>
        all.some((memory) => memory.role === 'assistant' && memory.content === text),
      );
    });
  });
});
