import { startGateway, TestGateway } from './support/gateway';
import { addMemories, freshNamespace, postMemoryChat, waitForMemories } from './support/memory';

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
  let gateway: TestGateway;

  afterEach(async () => {
    await gateway?.close();
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

  it('should say memory is off when MEMORY_ENABLED=false', async () => {
    gateway = await startGateway({ MEMORY_ENABLED: 'false' });
    const { info } = await readiness(gateway);
    expect(info.memory).toEqual({ status: 'up', enabled: false });
  });
});
