import { startGateway, TestGateway } from './support/gateway';
import { addMemories, freshNamespace, postMemoryChat, waitForMemories } from './support/memory';
import { createPostgresSchema, PostgresSchema, postgresTarget } from './support/postgres';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';

interface Readiness {
  status: string;
  info: Record<string, Record<string, unknown>>;
}

async function readiness(gateway: TestGateway): Promise<Readiness> {
  const response = await fetch(`${gateway.url}/health/ready`);
  expect(response.status).toBe(200);
  return (await response.json()) as Readiness;
}

describe('Memory in the readiness probe', () => {
  let gateway: TestGateway | undefined;

  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('should show the open store and what was written, without failing readiness', async () => {
    gateway = await startGateway({
      MEMORY_ENABLED: 'true',
      DATA_DIR: 'memory://',
      MEMORY_RETRIEVAL_TIMEOUT_MS: '10000',
    });
    const namespace = freshNamespace('health');
    await addMemories(gateway, namespace, { content: 'opens the store' });
    const told = await postMemoryChat(
      gateway,
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'I live in Lisbon' }] },
      { namespace },
    );
    expect(told.status).toBe(200);
    await waitForMemories(gateway, namespace, (memories) => memories.length === 3);

    const { status, info } = await readiness(gateway);
    expect(status).toBe('ok');
    expect(info.memory).toMatchObject({
      status: 'up',
      backend: 'sqlite',
      store: 'open',
      pendingWrites: 0,
      writtenMemories: 2,
      droppedMemories: 0,
    });
  }, 60_000);

  it('should show the store unavailable while Postgres is cut, still ready, and open again after', async () => {
    const schema: PostgresSchema = await createPostgresSchema();
    const target = postgresTarget();
    const proxy: TcpProxy = await startTcpProxy(target.port, target.host);
    const cutOff = await startGateway({
      MEMORY_ENABLED: 'true',
      DATABASE_URL: schema.urlVia(proxy.port),
    });
    try {
      await addMemories(cutOff, freshNamespace('probe'), { content: 'opens the store' });
      expect((await readiness(cutOff)).info.memory).toMatchObject({
        status: 'up',
        backend: 'postgres',
        store: 'open',
      });

      proxy.pause();
      const cut = await readiness(cutOff);
      expect(cut.status).toBe('ok');
      expect(cut.info.memory).toMatchObject({ status: 'up', store: 'unavailable' });
      expect(typeof cut.info.memory.error).toBe('string');

      proxy.resume();
      expect((await readiness(cutOff)).info.memory).toMatchObject({ store: 'open' });
    } finally {
      await cutOff.close();
      await proxy.close();
      await schema.drop();
    }
  }, 60_000);

  it('should say memory is off when MEMORY_ENABLED=false', async () => {
    gateway = await startGateway({ MEMORY_ENABLED: 'false' });
    const { info } = await readiness(gateway);
    expect(info.memory).toEqual({ status: 'up', enabled: false });
  });
});
