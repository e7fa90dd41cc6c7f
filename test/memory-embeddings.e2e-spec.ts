import { authHeaders, startGateway, TestGateway } from './support/gateway';
import {
  addMemories,
  freshNamespace,
  INJECTED_PREFIX,
  memoriesPath,
  memoryApi,
  Memory,
  postMemoryChat,
} from './support/memory';

// The fake upstream's /v1/embeddings maps words of one meaning (puppy, dog, pet) to one
// dimension, so a paraphrase is found by vector similarity and not by full-text search.
// No "named": WordNet relates it to the question's "called", and text search would find it.
const FACT = 'I adopted a puppy, Rex';
const QUESTION = 'What is my pet called?';

function injected(gateway: TestGateway): string | undefined {
  const messages = gateway.upstream.chatRequests().at(-1)?.body.messages as Array<{
    role: string;
    content: string;
  }>;
  return messages.find((m) => m.role === 'system' && m.content.startsWith(INJECTED_PREFIX))
    ?.content;
}

async function ask(gateway: TestGateway, namespace: string): Promise<Response> {
  const response = await postMemoryChat(
    gateway,
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content: QUESTION }] },
    { namespace, memory: 'read' },
  );
  expect(response.status).toBe(200);
  return response;
}

describe('Memory with embeddings (hybrid ranking)', () => {
  let hybrid: TestGateway;
  let textOnly: TestGateway;

  beforeAll(async () => {
    // Ranking is under test here, not the retrieval timeout: a busy machine must not fail it.
    const memory = {
      MEMORY_ENABLED: 'true',
      DATA_DIR: 'memory://',
      MEMORY_RETRIEVAL_TIMEOUT_MS: '10000',
    };
    // One after the other: startGateway reads its env from process.env while booting.
    hybrid = await startGateway({ ...memory, MEMORY_EMBEDDINGS_MODEL: 'text-embedding-3-small' });
    textOnly = await startGateway(memory);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([hybrid?.close(), textOnly?.close()]);
  });

  it('should embed memories added through the API with the configured model, and find them by meaning', async () => {
    const namespace = freshNamespace('embed');
    await addMemories(hybrid, namespace, { content: FACT });
    const [request] = hybrid.upstream.embeddingRequests();
    expect(request.body).toMatchObject({ model: 'text-embedding-3-small', input: [FACT] });
    expect(request.headers.authorization).toBe('Bearer sk-upstream-secret');

    const search = await memoryApi(
      hybrid,
      'GET',
      memoriesPath(namespace, `?q=${encodeURIComponent(QUESTION)}`),
    );
    const found = ((await search.json()) as { data: Memory[] }).data;
    expect(found.map((m) => m.content)).toEqual([FACT]);
  });

  it('should find a paraphrased fact by meaning that text search alone misses', async () => {
    const namespace = freshNamespace('paraphrase');
    for (const gateway of [hybrid, textOnly]) {
      const told = await postMemoryChat(
        gateway,
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: FACT }] },
        { namespace, memory: 'write' },
      );
      expect(told.status).toBe(200);
    }
    // Wait until the fact is stored (with its vector, on the hybrid gateway).
    for (const gateway of [hybrid, textOnly]) {
      const deadline = Date.now() + 5000;
      let memories: Memory[] = [];
      while (!memories.some((m) => m.content === FACT) && Date.now() < deadline) {
        const list = await memoryApi(gateway, 'GET', memoriesPath(namespace));
        memories = ((await list.json()) as { data: Memory[] }).data;
      }
      expect(memories.map((m) => m.content)).toContain(FACT);
    }

    const withVectors = await ask(hybrid, namespace);
    expect(withVectors.headers.get('x-memory-injected')).toBe('1');
    expect(injected(hybrid)).toContain(FACT);

    const withoutVectors = await ask(textOnly, namespace);
    expect(withoutVectors.headers.get('x-memory-injected')).toBe('0');
    expect(injected(textOnly)).toBeUndefined();

    const search = await memoryApi(
      hybrid,
      'GET',
      memoriesPath(namespace, `?q=${encodeURIComponent(QUESTION)}`),
    );
    const found = ((await search.json()) as { data: Memory[] }).data;
    expect(found[0]).toMatchObject({ content: FACT });
    expect(found[0].score).toBeGreaterThan(0);
  });

  it('should fall back to text ranking when the embeddings call fails, still serving the request', async () => {
    const namespace = freshNamespace('embed-down');
    await addMemories(hybrid, namespace, { content: 'My pet Rex loves the beach' });
    hybrid.upstream.enqueueEmbeddings({ status: 500 });
    const response = await postMemoryChat(
      hybrid,
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: QUESTION }] },
      { namespace, memory: 'read' },
      authHeaders(),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-memory-status')).toBe('ok');
    // "pet" matches by text even without a query vector.
    expect(response.headers.get('x-memory-injected')).toBe('1');
    expect(injected(hybrid)).toContain('My pet Rex loves the beach');
  });
});
