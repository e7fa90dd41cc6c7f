import { authHeaders, readSse, sleep } from './support/gateway';
import {
  contents,
  freshNamespace,
  memoryBackends,
  memoryChatUrl,
  postMemoryChat,
  settleWrites,
  waitForMemories,
} from './support/memory';
import { ANSWER, ask, bootMemoryGateway, streamedText } from './support/memory-chat';

describe.each(memoryBackends())('POST /v1/memory/chat/completions on $name', (backend) => {
  const booted = bootMemoryGateway(backend);

  it('should store the trailing user messages and the answer, with model and request id', async () => {
    const namespace = freshNamespace('turn');
    const response = await postMemoryChat(
      booted.gateway,
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
    const memories = await waitForMemories(booted.gateway, namespace, (all) => all.length >= 3);
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
    booted.gateway.upstream.enqueue({ chunks: ['Rex ', 'is ', 'a ', 'very ', 'good ', 'dog.'] });
    const response = await postMemoryChat(
      booted.gateway,
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
    const memories = await waitForMemories(booted.gateway, namespace, (all) =>
      all.some((memory) => memory.role === 'assistant'),
    );
    expect(memories.find((memory) => memory.role === 'assistant')?.content).toBe(streamed);
    expect(memories.find((memory) => memory.role === 'user')?.content).toBe('Tell me about Rex.');
  });

  it('should write nothing when the client goes away mid-stream', async () => {
    const namespace = freshNamespace('client-abort');
    booted.gateway.upstream.enqueue({
      chunks: Array.from({ length: 10 }, (_, i) => `part${i} `),
      chunkDelayMs: 100,
    });
    const controller = new AbortController();
    const response = await fetch(memoryChatUrl(booted.gateway, { namespace }), {
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
    const { memories, barrier } = await settleWrites(booted.gateway, namespace);
    expect(contents(memories)).toEqual([...barrier].sort());
  });

  it('should write nothing when the upstream stream breaks after it started', async () => {
    const namespace = freshNamespace('broken-stream');
    booted.gateway.upstream.enqueue({ drop: 'after-first-chunk' });
    const response = await postMemoryChat(
      booted.gateway,
      ask([{ role: 'user', content: 'A question whose answer breaks off.' }], { stream: true }),
      { namespace },
    );
    expect(response.status).toBe(200);
    expect((await readSse(response)).join('\n')).toContain('"error"');
    const { memories, barrier } = await settleWrites(booted.gateway, namespace);
    expect(contents(memories)).toEqual([...barrier].sort());
  });

  it("should use the key's default namespace when none is given", async () => {
    const content = 'I prefer window seats.';
    const response = await postMemoryChat(booted.gateway, ask([{ role: 'user', content }]));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-memory-namespace')).toBe('default');
    await waitForMemories(booted.gateway, 'default', (all) =>
      all.some((m) => m.content === content),
    );
  });

  it.each([500, 400])('should write nothing when the upstream answers %d', async (status) => {
    const namespace = freshNamespace(`upstream-${status}`);
    booted.gateway.upstream.enqueue({ status });
    const response = await postMemoryChat(
      booted.gateway,
      ask([{ role: 'user', content: 'This turn failed upstream.' }]),
      { namespace },
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    await response.text();
    const { memories, barrier } = await settleWrites(booted.gateway, namespace);
    expect(contents(memories)).toEqual([...barrier].sort());
  });

  it('should store an exact duplicate turn once', async () => {
    const namespace = freshNamespace('dupes');
    const content = 'I live in Lisbon.';
    for (let i = 0; i < 2; i++) {
      const response = await postMemoryChat(booted.gateway, ask([{ role: 'user', content }]), {
        namespace,
        memory: 'write',
      });
      expect(response.status).toBe(200);
      await response.text();
    }
    const { memories, barrier } = await settleWrites(booted.gateway, namespace);
    expect(contents(memories)).toEqual([ANSWER, content, ...barrier].sort());
  });
});
