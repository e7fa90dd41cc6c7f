import { authHeaders, postChat, readSse, startGateway, TestGateway } from './support/gateway';

/** The slice of OpenAPI 3 these tests read. */
interface Schema {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  minimum?: number;
  maximum?: number;
}

interface MediaType {
  schema: Schema;
  examples?: Record<string, { summary?: string; value: Record<string, unknown> }>;
}

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes?: Record<string, { type: string; scheme?: string }>;
  };
}
/** The application/json media type of a request body or response; fails clearly when absent. */
function jsonMedia(holder: { content?: Record<string, MediaType> } | undefined): MediaType {
  const media = holder?.content?.['application/json'];
  if (!media) {
    throw new Error('no application/json content is documented here');
  }
  return media;
}

function property(schema: Schema, name: string): Schema {
  const found = schema.properties?.[name];
  if (!found) {
    throw new Error(`the schema has no property ${name}`);
  }
  return found;
}

const ERROR_SCHEMA_REF = '#/components/schemas/ErrorResponseDto';

describe('API documentation', () => {
  let gateway: TestGateway;
  let document: OpenApiDocument;

  beforeAll(async () => {
    gateway = await startGateway();
    const response = await fetch(`${gateway.url}/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenApiDocument;
  });
  afterAll(() => gateway.close());

  const chatPost = () => document.paths['/v1/chat/completions'].post;

  it('should serve Swagger UI as HTML at /docs without a key', async () => {
    const response = await fetch(`${gateway.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Swagger UI</title>');
    expect(html).toContain('swagger-ui-bundle.js');
  });

  it('should serve the Swagger UI assets and init script without a key', async () => {
    const bundle = await fetch(`${gateway.url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    await bundle.arrayBuffer();
    const init = await fetch(`${gateway.url}/docs/swagger-ui-init.js`);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('/v1/chat/completions');
  });

  it('should serve the OpenAPI document at /docs-json without a key', async () => {
    const response = await fetch(`${gateway.url}/docs-json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as OpenApiDocument;
    expect(body.openapi).toMatch(/^3\./);
    expect(body.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it('should declare an http bearer security scheme used by the chat route', () => {
    const schemes = Object.entries(document.components.securitySchemes ?? {});
    const bearer = schemes.find(
      ([, scheme]) => scheme.type === 'http' && scheme.scheme === 'bearer',
    );
    expect(bearer).toBeDefined();
    expect(chatPost().security).toEqual([{ [bearer![0]]: [] }]);
  });

  it('should document the chat request with the default, withSystemMessage and streaming examples', () => {
    const content = jsonMedia(chatPost().requestBody);
    expect(content.schema).toEqual({ $ref: '#/components/schemas/ChatCompletionRequestDto' });
    const examples = content.examples ?? {};
    expect(Object.keys(examples)).toEqual(
      expect.arrayContaining(['default', 'withSystemMessage', 'streaming']),
    );
    expect(examples.streaming.value.stream).toBe(true);
    expect(examples.default.value.stream).toBeUndefined();
  });

  it('should describe ChatCompletionRequestDto with messages required and temperature up to 2', () => {
    const schema = document.components.schemas.ChatCompletionRequestDto;
    expect(schema.required).toContain('messages');
    expect(property(schema, 'messages').type).toBe('array');
    expect(property(schema, 'temperature')).toMatchObject({
      type: 'number',
      minimum: 0,
      maximum: 2,
    });
  });

  it('should document the 200 response schema and the error envelope for 401 and 429', () => {
    const { responses } = chatPost();
    expect(jsonMedia(responses['200']).schema).toEqual({
      $ref: '#/components/schemas/ChatCompletionResponseDto',
    });
    expect(document.components.schemas.ChatCompletionResponseDto.properties).toHaveProperty(
      'choices',
    );
    for (const status of ['401', '429']) {
      expect(jsonMedia(responses[status]).schema).toEqual({
        $ref: ERROR_SCHEMA_REF,
      });
    }
    const envelope = document.components.schemas.ErrorResponseDto;
    expect(envelope.required).toEqual(['error']);
  });

  it('should document the models routes', () => {
    expect(document.paths['/v1/models']?.get).toBeDefined();
    const retrieve = document.paths['/v1/models/{id}']?.get;
    expect(retrieve).toBeDefined();
    expect(retrieve.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
    expect(jsonMedia(retrieve.responses['404']).schema).toEqual({
      $ref: ERROR_SCHEMA_REF,
    });
  });

  it('should document the memory routes with their path and query parameters', () => {
    const memoryChat = document.paths['/v1/memory/chat/completions']?.post;
    expect(memoryChat.parameters).toEqual([
      expect.objectContaining({ name: 'namespace', in: 'query', required: false }),
      expect.objectContaining({ name: 'memory', in: 'query', required: false }),
    ]);
    const memories = '/v1/memory/namespaces/{namespace}/memories';
    const expected: Array<[string, string, string[]]> = [
      ['/v1/memory/namespaces', 'get', []],
      [memories, 'get', ['namespace', 'limit', 'after', 'q']],
      [memories, 'post', ['namespace', 'conversation']],
      [`${memories}/{id}`, 'get', ['namespace', 'id']],
      [`${memories}/{id}`, 'delete', ['namespace', 'id']],
      ['/v1/memory/namespaces/{namespace}', 'delete', ['namespace']],
    ];
    for (const [path, method, parameters] of expected) {
      const operation = document.paths[path]?.[method];
      expect({
        path,
        method,
        parameters: (operation?.parameters ?? []).map((p) => p.name),
      }).toEqual({
        path,
        method,
        parameters,
      });
      expect(jsonMedia(operation.responses['401']).schema).toEqual({ $ref: ERROR_SCHEMA_REF });
    }
  });

  it('should ship request examples that the gateway itself accepts', async () => {
    const examples = jsonMedia(chatPost().requestBody).examples ?? {};
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(3);
    for (const [name, example] of Object.entries(examples)) {
      const response = await postChat(gateway, example.value, authHeaders());
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      if (example.value.stream === true) {
        const frames = await readSse(response);
        expect(frames[frames.length - 1]).toBe('[DONE]');
      } else {
        expect(((await response.json()) as { object: string }).object).toBe('chat.completion');
      }
    }
  });
});
