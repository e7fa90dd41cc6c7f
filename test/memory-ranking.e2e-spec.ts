import { TestGateway } from './support/gateway';
import { readJson } from './support/json';
import {
  addMemories,
  freshNamespace,
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
const QUESTION = "What's your sister's name?";
const ASKED = "What is my sister's name?";
// Turns of other conversations, hours apart: they share words with the question, not the answer.
const OTHER_TALK = [
  'My sister and I went hiking last spring.',
  'Do you like your name?',
  'What is the name of that café near the station?',
  'Maybe we should plan a trip for the whole family.',
];

function completion(content: string) {
  return {
    id: 'chatcmpl-ranking',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
  };
}

async function search(gateway: TestGateway, namespace: string, q: string): Promise<Memory[]> {
  const response = await memoryApi(
    gateway,
    'GET',
    memoriesPath(namespace, `?q=${encodeURIComponent(q)}&limit=10`),
  );
  expect(response.status).toBe(200);
  return ((await readJson(response)) as { data: Memory[] }).data;
}

/** The other conversations, each a day apart, long before the one under test. */
function otherTalk(): Array<{ content: string; created_at: string }> {
  const start = Date.parse('2026-01-01T12:00:00Z');
  return OTHER_TALK.map((content, day) => ({
    content,
    created_at: new Date(start + day * 86_400_000).toISOString(),
  }));
}

describe.each(memoryBackends())('memory ranking on $name', (backend) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startMemoryGateway(backend, OTHER_KEY, { MEMORY_MIN_SCORE: '0' });
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await gateway?.close();
    await backend.teardown();
  });

  it('should find a short answer captured from completions by the question asked before it', async () => {
    const namespace = freshNamespace('completions');
    await addMemories(gateway, namespace, otherTalk());
    gateway.upstream.enqueue({ body: completion(QUESTION) }, { body: completion('Lovely!') });
    const first = await postMemoryChat(
      gateway,
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Ask me about my family.' }] },
      { namespace },
    );
    expect(first.status).toBe(200);
    await first.text();
    await waitForMemories(gateway, namespace, (all) => all.some((m) => m.content === QUESTION));
    const second = await postMemoryChat(
      gateway,
      {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'user', content: 'Ask me about my family.' },
          { role: 'assistant', content: QUESTION },
          { role: 'user', content: 'Maya.' },
        ],
      },
      { namespace },
    );
    expect(second.status).toBe(200);
    await second.text();
    await waitForMemories(gateway, namespace, (all) => all.some((m) => m.content === 'Lovely!'));

    const found = (await search(gateway, namespace, ASKED)).map((m) => m.content);
    expect(found).toContain('Maya.');
    // Above every other conversation's turn that shares the question's words.
    for (const other of OTHER_TALK) {
      if (found.includes(other)) {
        expect(found.indexOf('Maya.')).toBeLessThan(found.indexOf(other));
      }
    }
  });

  it('should find a short answer added in a conversation batch by the question before it', async () => {
    const namespace = freshNamespace('batch');
    await addMemories(gateway, namespace, otherTalk());
    const at = Date.parse('2026-02-01T12:00:00Z');
    const added = await memoryApi(
      gateway,
      'POST',
      memoriesPath(namespace, '?conversation=true'),
      [
        { role: 'user', content: 'Ask me about my family.' },
        { role: 'assistant', content: QUESTION },
        { role: 'user', content: 'Maya.' },
        { role: 'assistant', content: 'Lovely!' },
      ].map((turn, index) => ({
        ...turn,
        created_at: new Date(at + index * 30_000).toISOString(),
      })),
    );
    expect(added.status).toBe(201);
    const found = (await search(gateway, namespace, ASKED)).map((m) => m.content);
    expect(found).toContain('Maya.');
    for (const other of OTHER_TALK) {
      if (found.includes(other)) {
        expect(found.indexOf('Maya.')).toBeLessThan(found.indexOf(other));
      }
    }
  });

  it('should keep the statistics exact after a delete and an erase', async () => {
    const facts = [
      { content: 'I play chess on Sundays.' },
      { content: 'Chess clubs meet in the old library.' },
      { content: 'My chess coach is strict about chess openings.' },
      { content: 'The library closes early in winter.' },
    ];
    const kept = [facts[0], facts[2], facts[3]];
    const scores = async (namespace: string) =>
      (await search(gateway, namespace, 'chess library')).map((m) => [m.content, m.score]);

    const never = freshNamespace('never');
    await addMemories(gateway, never, kept);
    const reference = await scores(never);
    expect(reference).toHaveLength(3);

    const edited = freshNamespace('edited');
    const ids = await addMemories(gateway, edited, facts);
    const removed = await memoryApi(gateway, 'DELETE', memoriesPath(edited, `/${ids[1]}`));
    expect(removed.status).toBe(200);
    // Same document count, lengths and frequencies as a namespace that never had it: same scores.
    expect(await scores(edited)).toEqual(reference);

    const erased = await memoryApi(gateway, 'DELETE', `/namespaces/${edited}`);
    expect(erased.status).toBe(200);
    expect(await search(gateway, edited, 'chess library')).toEqual([]);
    await addMemories(gateway, edited, kept);
    expect(await scores(edited)).toEqual(reference);
  });
});
