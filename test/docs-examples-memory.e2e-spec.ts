import { readJson } from './support/json';
import {
  freshNamespace,
  memoriesPath,
  memoryApi,
  memoryBackends,
  startMemoryGateway,
} from './support/memory';
import { TestGateway } from './support/gateway';
import {
  ErrorBody,
  errorExample,
  OpenApiDocument,
  openApi,
  operation,
  placeholders,
  shape,
} from './support/openapi-examples';

describe('API documentation examples of memory and open metrics', () => {
  let gateway: TestGateway;
  let document: OpenApiDocument;
  const MEMORIES = '/v1/memory/namespaces/{namespace}/memories';

  // Postgres rather than PGlite: the store opens in well under a second.
  const postgres = memoryBackends().find((backend) => backend.name === 'Postgres')!;

  beforeAll(async () => {
    gateway = await startMemoryGateway(postgres, 'sk-docs-other-key');
    document = await openApi(gateway);
  });
  afterAll(async () => {
    await gateway.close();
    await postgres.teardown();
  });

  it('should show /metrics without a lock while METRICS_TOKEN is unset, as it is open', async () => {
    expect(operation(document, '/metrics', 'get').security).toBeUndefined();
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(200);
  });

  it('should send a real memory by default and show the answer it really gets', async () => {
    const add = operation(document, MEMORIES);
    const examples = add.requestBody?.content['application/json'].examples ?? {};
    const [byDefault] = Object.values(examples);
    expect(byDefault).toBeDefined();
    expect(placeholders(byDefault.value)).toEqual([]);
    const documented = add.responses['201'].content?.['application/json']?.example as {
      data: Array<{ id: string }>;
    };

    const response = await memoryApi(
      gateway,
      'POST',
      memoriesPath(freshNamespace('docs')),
      byDefault.value,
    );
    expect(response.status).toBe(201);
    const answer = (await readJson(response)) as { data: Array<{ id: string }> };
    expect(answer).toEqual({
      ...documented,
      data: documented.data.map((item) => ({ ...item, id: answer.data[0]?.id })),
    });
  });

  it('should document the errors the memory routes really answer', async () => {
    const one = operation(document, `${MEMORIES}/{id}`, 'get');
    const missing = await memoryApi(
      gateway,
      'GET',
      memoriesPath(freshNamespace('docs'), '/5f0e6a52-3c1d-4b7e-9a2f-8d4c6b1e0a93'),
    );
    expect(missing.status).toBe(404);
    expect(shape(((await readJson(missing)) as { error: ErrorBody }).error)).toEqual(
      shape(errorExample(one, '404')),
    );
    const invalid = await memoryApi(gateway, 'GET', memoriesPath('not a namespace'));
    expect(invalid.status).toBe(400);
    expect(shape(((await readJson(invalid)) as { error: ErrorBody }).error)).toEqual(
      shape(errorExample(one, '400')),
    );
    expect(errorExample(one, '503').code).toBe('memory_unavailable');
  });
});
