import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_KEY, UPSTREAM_KEY } from './support/gateway';
import { GatewayProcess, useGatewayProcesses } from './support/gateway-process';
import {
  addMemories,
  INJECTED_PREFIX,
  listMemories,
  postMemoryChat,
  waitForMemories,
} from './support/memory';
import {
  ask,
  FACT,
  Message,
  MODELS_FILE,
  QUESTION,
  SLOW_TIMEOUT_MS,
} from './support/memory-resilience';
import { createPostgresSchema, PostgresSchema } from './support/postgres';

describe('memories across a restart of the gateway process', () => {
  const processes = useGatewayProcesses({
    OPENAI_API_KEY: UPSTREAM_KEY,
    GATEWAY_API_KEYS: TEST_KEY,
    MEMORY_ENABLED: 'true',
    LOG_LEVEL: 'silent',
    MODELS_FILE,
    RETRY_ATTEMPTS: '0',
  });

  async function stop(gateway: GatewayProcess): Promise<void> {
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }

  let dataDir: string | undefined;
  let schema: PostgresSchema | undefined;
  afterAll(async () => {
    if (dataDir !== undefined) {
      rmSync(dataDir, { recursive: true, force: true });
    }
    await schema?.drop();
  });

  it.each([
    [
      'SQLite on disk under DATA_DIR',
      () => {
        dataDir = mkdtempSync(join(tmpdir(), 'gateway-memory-data-'));
        return Promise.resolve({ DATA_DIR: dataDir });
      },
    ],
    [
      'Postgres (DATABASE_URL)',
      async () => {
        schema = await createPostgresSchema();
        return { DATABASE_URL: schema.url };
      },
    ],
  ])(
    'should keep what was stored on %s, and inject it after the restart',
    async (_name, setup) => {
      const env = await setup();
      const namespace = 'household';
      const first = await processes.start(env);
      await addMemories(first, namespace, [{ content: FACT }, { content: 'We live in Porto.' }]);
      const told = await postMemoryChat(first, ask('I also have a cat called Tom.'), {
        namespace,
      });
      expect(told.status).toBe(200);
      const before = await waitForMemories(first, namespace, (all) => all.length >= 4);
      expect(before).toHaveLength(4);
      await stop(first);

      const second = await processes.start(env);
      expect(await listMemories(second, namespace)).toEqual(before);
      const response = await postMemoryChat(second, ask(QUESTION), { namespace, memory: 'read' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-status')).toBe('ok');
      const messages: Message[] = processes.upstream.chatRequests().at(-1)!.body.messages;
      expect(messages[0].content.startsWith(INJECTED_PREFIX)).toBe(true);
      expect(messages[0].content).toContain(FACT);
      await stop(second);
    },
    SLOW_TIMEOUT_MS,
  );
});
