import {
  addMemories,
  contents,
  freshNamespace,
  memoryBackends,
  postMemoryChat,
  settleWrites,
  waitForMemories,
} from './support/memory';
import {
  ask,
  bootMemoryGateway,
  injectedMessages,
  lastUpstreamMessages,
} from './support/memory-chat';
import { readJson } from './support/json';

describe.each(memoryBackends())('POST /v1/memory/chat/completions on $name', (backend) => {
  const booted = bootMemoryGateway(backend);

  describe('memory modes', () => {
    const CAT = 'My cat is called Tom.';
    const CAT_QUESTION = 'What is my cat called?';

    it('off: should neither inject nor write', async () => {
      const namespace = freshNamespace('off');
      await addMemories(booted.gateway, namespace, { content: CAT });
      const caller = [{ role: 'user', content: CAT_QUESTION }];
      const response = await postMemoryChat(booted.gateway, ask(caller), {
        namespace,
        memory: 'off',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-status')).toBe('off');
      expect(response.headers.get('x-memory-namespace')).toBe(namespace);
      expect(response.headers.get('x-memory-injected')).toBeNull();
      expect(lastUpstreamMessages(booted.gateway)).toEqual(caller);
      const { memories, barrier } = await settleWrites(booted.gateway, namespace);
      expect(contents(memories)).toEqual([CAT, ...barrier].sort());
    });

    it('read: should inject but not write', async () => {
      const namespace = freshNamespace('read');
      await addMemories(booted.gateway, namespace, { content: CAT });
      const response = await postMemoryChat(
        booted.gateway,
        ask([{ role: 'user', content: CAT_QUESTION }]),
        { namespace, memory: 'read' },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-injected')).toBe('1');
      expect(injectedMessages(lastUpstreamMessages(booted.gateway))).toHaveLength(1);
      const { memories, barrier } = await settleWrites(booted.gateway, namespace);
      expect(contents(memories)).toEqual([CAT, ...barrier].sort());
    });

    it('write: should write but not inject', async () => {
      const namespace = freshNamespace('write');
      await addMemories(booted.gateway, namespace, { content: CAT });
      const caller = [{ role: 'user', content: CAT_QUESTION }];
      const response = await postMemoryChat(booted.gateway, ask(caller), {
        namespace,
        memory: 'write',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-status')).toBe('ok');
      expect(response.headers.get('x-memory-injected')).toBeNull();
      expect(lastUpstreamMessages(booted.gateway)).toEqual(caller);
      await waitForMemories(booted.gateway, namespace, (all) =>
        all.some((memory) => memory.content === CAT_QUESTION),
      );
    });

    it('readwrite by default: should inject and write', async () => {
      const namespace = freshNamespace('readwrite');
      await addMemories(booted.gateway, namespace, { content: CAT });
      const response = await postMemoryChat(
        booted.gateway,
        ask([{ role: 'user', content: CAT_QUESTION }]),
        { namespace },
      );
      expect(response.headers.get('x-memory-injected')).toBe('1');
      await waitForMemories(booted.gateway, namespace, (all) =>
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
      const response = await postMemoryChat(
        booted.gateway,
        ask([{ role: 'user', content: 'hi' }]),
        {
          namespace,
        },
      );
      expect(response.status).toBe(400);
      expect((await readJson(response)).error).toMatchObject({
        type: 'invalid_request_error',
        param: 'namespace',
      });
      expect(booted.gateway.upstream.chatRequests()).toHaveLength(0);
    });

    it('should accept a namespace of 128 characters from the allowed set', async () => {
      const namespace = `Ab9._:@-${'z'.repeat(120)}`;
      const response = await postMemoryChat(
        booted.gateway,
        ask([{ role: 'user', content: 'hi' }]),
        {
          namespace,
          memory: 'read',
        },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-namespace')).toBe(namespace);
    });

    it.each(['bogus', 'rw', 'on'])(
      'should refuse memory=%s with 400 param memory',
      async (memory) => {
        const response = await postMemoryChat(
          booted.gateway,
          ask([{ role: 'user', content: 'hi' }]),
          {
            namespace: 'fine',
            memory,
          },
        );
        expect(response.status).toBe(400);
        expect((await readJson(response)).error).toMatchObject({
          type: 'invalid_request_error',
          param: 'memory',
        });
        expect(booted.gateway.upstream.chatRequests()).toHaveLength(0);
      },
    );
  });
});
