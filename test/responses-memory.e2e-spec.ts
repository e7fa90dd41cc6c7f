import OpenAI, { NotFoundError } from 'openai';

import { authHeaders, startGateway, TEST_KEY, TestGateway } from './support/gateway';
import {
  freshNamespace,
  INJECTED_PREFIX,
  memoryBackends,
  postMemoryChat,
  startMemoryGateway,
  waitForMemories,
} from './support/memory';
import { collectEvents, expectWellFormed, within } from './support/responses';

const OTHER_KEY = 'sk-gateway-test-key-2';
const FACT = 'My dog is called Rex.';
const BOOT_TIMEOUT_MS = 60000;
const TEST_TIMEOUT_MS = 30000;

/** The openai SDK pointed at the memory route of one namespace. */
function memoryClient(gateway: TestGateway, namespace: string): OpenAI {
  return new OpenAI({
    baseURL: `${gateway.url}/v1/memory`,
    apiKey: TEST_KEY,
    maxRetries: 0,
    defaultQuery: { namespace },
  });
}

const backend = memoryBackends()[0];

describe.each([
  { kind: 'native', servesResponses: true },
  { kind: 'translated', servesResponses: false },
])(`POST /v1/memory/responses, $kind, on ${backend.name}`, ({ servesResponses }) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startMemoryGateway(backend, OTHER_KEY, {
      OPENAI_RESPONSES_API: servesResponses ? 'native' : 'translate',
    });
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await gateway?.close();
    await backend.teardown();
  });
  beforeEach(() => gateway.upstream.reset());

  /** The system texts the upstream got with the latest request. */
  const sentSystemTexts = (): string[] => {
    if (servesResponses) {
      const [last] = gateway.upstream.responsesRequests().slice(-1);
      const input = last.body.input as string | Array<{ role?: string; content: unknown }>;
      return (typeof input === 'string' ? [] : input)
        .filter((item) => item.role === 'system')
        .map((item) => String(item.content));
    }
    const [last] = gateway.upstream.chatRequests().slice(-1);
    return (last.body.messages as Array<{ role: string; content: string }>)
      .filter((message) => message.role === 'system')
      .map((message) => message.content);
  };

  it(
    'should remember a turn and recall it in a later streamed request, whose answer is kept too',
    async () => {
      const namespace = freshNamespace('resp');
      const client = memoryClient(gateway, namespace);
      const told = await client.responses.create({ model: 'gpt-4o-mini', input: FACT });
      expect(told.status).toBe('completed');
      await waitForMemories(gateway, namespace, (all) =>
        all.some((m) => m.role === 'user' && m.content === FACT),
      );

      const { data: stream, response } = await client.responses
        .create({
          model: 'gpt-4o-mini',
          instructions: 'Be brief.',
          input: 'echo: Your dog is called Rex.',
          stream: true,
        })
        .withResponse();
      expect(response.headers.get('x-memory-namespace')).toBe(namespace);
      expect(response.headers.get('x-memory-status')).toBe('ok');
      expect(response.headers.get('x-memory-injected')).toBe('1');
      const events = await within(collectEvents(stream), 10000, 'the memory stream');
      expectWellFormed(events);
      const injected = sentSystemTexts().filter((text) => text.startsWith(INJECTED_PREFIX));
      expect(injected).toHaveLength(1);
      expect(injected[0]).toContain(FACT);
      await waitForMemories(gateway, namespace, (all) =>
        all.some((m) => m.role === 'assistant' && m.content === 'Your dog is called Rex.'),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'should share one namespace with the chat memory route',
    async () => {
      const namespace = freshNamespace('shared');
      const told = await postMemoryChat(
        gateway,
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: FACT }] },
        { namespace },
        authHeaders(),
      );
      expect(told.status).toBe(200);
      await told.text();
      await waitForMemories(gateway, namespace, (all) => all.some((m) => m.content === FACT));
      const client = memoryClient(gateway, namespace);
      const answer = await client.responses.create({
        model: 'gpt-4o-mini',
        input: [
          { role: 'user', content: [{ type: 'input_text', text: 'What is my dog called?' }] },
        ],
      });
      expect(answer.status).toBe('completed');
      expect(sentSystemTexts().some((text) => text.includes(FACT))).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it('should send no memories with memory=off', async () => {
    const namespace = freshNamespace('off');
    const response = await fetch(
      `${gateway.url}/v1/memory/responses?namespace=${namespace}&memory=off`,
      {
        method: 'POST',
        headers: authHeaders(),
        body: JSON.stringify({ model: 'gpt-4o-mini', input: 'Hello!' }),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-memory-status')).toBe('off');
    expect(sentSystemTexts()).toEqual([]);
  });
});

describe('POST /v1/memory/responses with memory disabled', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('should answer 404 memory_disabled', async () => {
    const error = await memoryClient(gateway, 'any')
      .responses.create({ model: 'gpt-4o-mini', input: 'Hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'memory_disabled' });
  });
});
