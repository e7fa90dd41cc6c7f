import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { authHeaders, startGateway, TestGateway } from './support/gateway';
import {
  listMemories,
  memoryApi,
  memoryBackends,
  postMemoryChat,
  waitForMemories,
} from './support/memory';
import {
  ask,
  BOOT_TIMEOUT_MS,
  injectedMessages,
  lastUpstreamMessages,
  tell,
} from './support/memory-chat';
import { readJson } from './support/json';

describe.each(memoryBackends())('POST /v1/memory/chat/completions on $name', (backend) => {
  afterAll(() => backend.teardown());

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
