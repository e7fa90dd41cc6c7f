import {
  addMemories,
  freshNamespace,
  listMemories,
  memoriesPath,
  memoryApi,
  memoryBackends,
} from './support/memory';
import { expectError, memoryPage } from './support/memory-api';
import { bootMemoryGateway, OTHER_KEY } from './support/memory-chat';
import { readJson } from './support/json';

describe.each(memoryBackends())('memory management API on $name', (backend) => {
  const booted = bootMemoryGateway(backend);

  describe('GET and DELETE /v1/memory/namespaces/{ns}/memories/{id}', () => {
    it('should get a memory, delete it, then answer 404 memory_not_found', async () => {
      const namespace = freshNamespace('delete');
      const [id, kept] = await addMemories(booted.gateway, namespace, [
        { content: 'to delete' },
        { content: 'to keep' },
      ]);
      expect(
        (await memoryApi(booted.gateway, 'GET', memoriesPath(namespace, `/${id}`))).status,
      ).toBe(200);
      const deleted = await memoryApi(booted.gateway, 'DELETE', memoriesPath(namespace, `/${id}`));
      expect(deleted.status).toBe(200);
      expect(await readJson(deleted)).toEqual({ id, object: 'memory.deleted', deleted: true });
      await expectError(
        await memoryApi(booted.gateway, 'GET', memoriesPath(namespace, `/${id}`)),
        404,
        {
          code: 'memory_not_found',
        },
      );
      await expectError(
        await memoryApi(booted.gateway, 'DELETE', memoriesPath(namespace, `/${id}`)),
        404,
        { code: 'memory_not_found' },
      );
      expect((await listMemories(booted.gateway, namespace)).map((memory) => memory.id)).toEqual([
        kept,
      ]);
    });

    it('should answer 404 for an id in another namespace or that is not an id', async () => {
      const namespace = freshNamespace('where');
      const [id] = await addMemories(booted.gateway, namespace, { content: 'here' });
      await expectError(
        await memoryApi(booted.gateway, 'GET', memoriesPath(freshNamespace('other'), `/${id}`)),
        404,
        { code: 'memory_not_found' },
      );
      await expectError(
        await memoryApi(booted.gateway, 'GET', memoriesPath(namespace, '/not-a-uuid')),
        404,
        { code: 'memory_not_found' },
      );
    });

    it("should neither show nor delete another key's memory", async () => {
      const namespace = freshNamespace('tenancy');
      const [id] = await addMemories(booted.gateway, namespace, { content: 'private to key 1' });
      const path = memoriesPath(namespace, `/${id}`);
      await expectError(await memoryApi(booted.gateway, 'GET', path, undefined, OTHER_KEY), 404, {
        code: 'memory_not_found',
      });
      await expectError(
        await memoryApi(booted.gateway, 'DELETE', path, undefined, OTHER_KEY),
        404,
        {
          code: 'memory_not_found',
        },
      );
      expect((await memoryPage(booted.gateway, namespace, '', OTHER_KEY)).data).toEqual([]);
      expect((await memoryApi(booted.gateway, 'GET', path)).status).toBe(200);
    });
  });

  describe('DELETE /v1/memory/namespaces/{ns}', () => {
    it('should erase the namespace and leave the others alone', async () => {
      const [gone, kept] = [freshNamespace('erase'), freshNamespace('keep')];
      await addMemories(booted.gateway, gone, [
        { content: 'a' },
        { content: 'b' },
        { content: 'c' },
      ]);
      await addMemories(booted.gateway, kept, { content: 'stays' });
      await addMemories(booted.gateway, gone, { content: 'other key, same name' }, OTHER_KEY);

      const response = await memoryApi(booted.gateway, 'DELETE', `/namespaces/${gone}`);
      expect(response.status).toBe(200);
      expect(await readJson(response)).toEqual({
        object: 'memory.namespace.deleted',
        namespace: gone,
        deleted: true,
        deleted_count: 3,
      });
      expect((await memoryPage(booted.gateway, gone, '')).data).toEqual([]);
      const names = (
        await readJson(await memoryApi(booted.gateway, 'GET', '/namespaces'))
      ).data.map((entry: { namespace: string }) => entry.namespace);
      expect(names).not.toContain(gone);
      expect(names).toContain(kept);
      expect((await listMemories(booted.gateway, kept)).map((memory) => memory.content)).toEqual([
        'stays',
      ]);
      expect((await listMemories(booted.gateway, gone, OTHER_KEY)).map((m) => m.content)).toEqual([
        'other key, same name',
      ]);
    });

    it('should answer deleted_count 0 for an empty namespace', async () => {
      const namespace = freshNamespace('never-used');
      const response = await memoryApi(booted.gateway, 'DELETE', `/namespaces/${namespace}`);
      expect(response.status).toBe(200);
      expect(await readJson(response)).toMatchObject({ namespace, deleted_count: 0 });
    });
  });
});
