import type { Request, Response } from 'express';

import type { ApiKeyIdentity } from '../auth/api-key.types';
import { ChatMessage } from '../providers/chat.types';
import { CapturedAnswer } from './answer-capture';
import { MemoryCompletionQueryDto } from './dto/memory-query.dto';
import { MemoryRouteService } from './memory-route.service';
import { MemoryService, Recall } from './memory.service';
import { MemoryScope } from './namespace';

const MEMORY: ChatMessage = { role: 'system', content: 'Relevant memories:\n- The port is 6543' };

/** Recall adds MEMORY (or fails, when `available` is false); remember records what it got. */
class FakeMemory {
  available = true;
  readonly recalled: MemoryScope[] = [];
  readonly remembered: Array<{
    scope: MemoryScope;
    messages: readonly ChatMessage[];
    answer: CapturedAnswer;
    requestId?: string;
  }> = [];

  recall(scope: MemoryScope, messages: ChatMessage[]): Promise<Recall> {
    this.recalled.push(scope);
    return Promise.resolve(
      this.available
        ? { messages: [MEMORY, ...messages], injected: 1, retrievalMs: 2.5, available: true }
        : { messages, injected: 0, retrievalMs: 1000, available: false },
    );
  }

  remember(
    scope: MemoryScope,
    messages: readonly ChatMessage[],
    answer: CapturedAnswer,
    context: { requestId?: string },
  ): void {
    this.remembered.push({ scope, messages, answer, requestId: context.requestId });
  }
}

function exchange() {
  const headers: Record<string, string> = {};
  const response = {
    destroyed: false,
    setHeader: (name: string, value: string) => (headers[name] = value),
  };
  return { request: { id: 'req-7' } as Request, response, headers };
}

describe('MemoryRouteService', () => {
  const conversation: ChatMessage[] = [{ role: 'user', content: 'Which port?' }];
  const answer = { content: 'Port 6543.', model: 'gpt-4o-mini' };
  let memory: FakeMemory;
  let routes: MemoryRouteService;

  beforeEach(() => {
    memory = new FakeMemory();
    routes = new MemoryRouteService(memory as unknown as MemoryService);
  });

  function begin(key: ApiKeyIdentity, query: MemoryCompletionQueryDto) {
    const call = exchange();
    const turn = routes.begin(key, query, call.request, call.response as unknown as Response);
    return { turn, ...call };
  }

  it('defaults to readwrite in the key default namespace, recalls, then remembers the caller turns', async () => {
    const { turn, headers } = begin({ id: 'team', memoryNamespace: 'support' }, {});

    const recalled = await turn.recall(() => conversation);
    expect(recalled).toEqual({
      conversation,
      messages: [MEMORY, ...conversation],
      memoryMessage: MEMORY,
    });
    expect(headers).toEqual({
      'x-memory-namespace': 'support',
      'x-memory-injected': '1',
      'x-memory-retrieval-ms': '2.5',
      'x-memory-status': 'ok',
    });
    expect(turn.remembers).toBe(true);

    turn.remember(recalled!.conversation, answer);
    expect(memory.remembered).toEqual([
      {
        scope: { tenant: 'key:team', namespace: 'support', shared: false },
        messages: conversation,
        answer,
        requestId: 'req-7',
      },
    ]);
  });

  it('uses `default` when neither the query nor the key names a namespace, and the shared copy of a granted one', async () => {
    const plain = begin({ id: 'k' }, {});
    await plain.turn.recall(() => conversation);
    const shared = begin({ id: 'k', sharedNamespaces: new Set(['team']) }, { namespace: 'team' });
    await shared.turn.recall(() => conversation);

    expect(plain.headers['x-memory-namespace']).toBe('default');
    expect(memory.recalled).toEqual([
      { tenant: 'key:k', namespace: 'default', shared: false },
      { tenant: 'shared', namespace: 'team', shared: true },
    ]);
  });

  it('with memory=off, sends the request on untouched and never asks for the conversation', async () => {
    const { turn, headers } = begin({ id: 'k' }, { namespace: 'notes', memory: 'off' });

    const recalled = await turn.recall(() => {
      throw new Error('memory off: the conversation is not needed');
    });

    expect(recalled).toBeUndefined();
    expect(turn.remembers).toBe(false);
    expect(headers).toEqual({ 'x-memory-namespace': 'notes', 'x-memory-status': 'off' });
    expect(memory.recalled).toEqual([]);
  });

  it('with memory=write, recalls nothing but remembers; with memory=read, the reverse', async () => {
    const write = begin({ id: 'k' }, { memory: 'write' });
    await expect(write.turn.recall(() => conversation)).resolves.toEqual({
      conversation,
      messages: conversation,
    });
    expect(write.headers).toEqual({ 'x-memory-namespace': 'default', 'x-memory-status': 'ok' });
    expect(write.turn.remembers).toBe(true);

    const read = begin({ id: 'k' }, { memory: 'read' });
    await read.turn.recall(() => conversation);
    expect(read.headers['x-memory-injected']).toBe('1');
    expect(read.turn.remembers).toBe(false);
    expect(memory.recalled).toHaveLength(1);
  });

  it('reports an unavailable store in x-memory-status and goes on without memories', async () => {
    memory.available = false;
    const { turn, headers } = begin({ id: 'k' }, {});

    const recalled = await turn.recall(() => conversation);

    expect(recalled).toEqual({ conversation, messages: conversation, memoryMessage: undefined });
    expect(headers).toMatchObject({ 'x-memory-status': 'unavailable', 'x-memory-injected': '0' });
  });

  it('keeps nothing for a client that went away before the answer was complete', () => {
    const { turn, response } = begin({ id: 'k' }, {});
    response.destroyed = true;

    turn.remember(conversation, answer);

    expect(memory.remembered).toEqual([]);
  });
});
