import { chatBody, startGateway, TestGateway } from './support/gateway';
import { memoryApi, postMemoryChat } from './support/memory';
import { expectError } from './support/memory-api';

describe('the memory API with MEMORY_ENABLED=false', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ MEMORY_ENABLED: 'false' });
  });
  afterAll(() => gateway.close());

  it.each([
    ['GET', '/namespaces'],
    ['GET', '/namespaces/default/memories'],
    ['POST', '/namespaces/default/memories'],
    ['DELETE', '/namespaces/default'],
  ])('should answer %s %s with 404 memory_disabled', async (method, path) => {
    const response = await memoryApi(
      gateway,
      method,
      path,
      method === 'POST' ? { content: 'x' } : undefined,
    );
    await expectError(response, 404, { code: 'memory_disabled' });
  });

  it('should answer the memory completions route with 404 memory_disabled, calling no upstream', async () => {
    const response = await postMemoryChat(gateway, chatBody(), { namespace: 'default' });
    await expectError(response, 404, { code: 'memory_disabled' });
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });
});
