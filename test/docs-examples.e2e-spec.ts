import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readJson } from './support/json';
import {
  authHeaders,
  chatBody,
  postChat,
  startGateway,
  TEST_KEY,
  TestGateway,
} from './support/gateway';
import {
  ERROR_SCHEMA_REF,
  ErrorBody,
  errorExample,
  isErrorEnvelope,
  OpenApiDocument,
  openApi,
  operation,
  placeholders,
  shape,
} from './support/openapi-examples';

const METRICS_TOKEN = 'metrics-token-for-docs';
const LIMITED_KEY = 'sk-docs-limited-to-gpt-4o-mini';
const ONE_A_MINUTE_KEY = 'sk-docs-one-request-a-minute';
const CHAT = '/v1/chat/completions';
const CHAT_ERRORS = ['400', '401', '403', '404', '413', '429', '500', '502', '503', '504'];

describe('API documentation examples', () => {
  let gateway: TestGateway;
  let document: OpenApiDocument;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-docs-keys-'));
    const keysFile = join(dir, 'keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify({
        keys: [
          { id: 'docs', key: TEST_KEY },
          { id: 'limited', key: LIMITED_KEY, models: ['gpt-4o-mini'] },
          { id: 'one-a-minute', key: ONE_A_MINUTE_KEY, rateLimit: { limit: 1, ttlMs: 60000 } },
        ],
      }),
    );
    gateway = await startGateway({
      GATEWAY_KEYS_FILE: keysFile,
      GATEWAY_API_KEYS: undefined,
      BODY_LIMIT: '2kb',
      UPSTREAM_TIMEOUT_MS: '2000',
      CIRCUIT_MIN_CALLS: '1',
      METRICS_TOKEN,
    });
    document = await openApi(gateway);
  });
  afterAll(() => gateway.close());

  /** One way to get each documented status out of the chat route, each on its own model. */
  const provoke: Record<string, () => Promise<Response>> = {
    400: () => postChat(gateway, chatBody({ temperature: 3 })),
    401: () => postChat(gateway, chatBody(), authHeaders('sk-not-a-key-of-this-gateway')),
    403: () => postChat(gateway, chatBody({ model: 'gpt-4o' }), authHeaders(LIMITED_KEY)),
    404: () => postChat(gateway, chatBody({ model: 'straico/gpt-4o-mni' })),
    413: () =>
      postChat(gateway, chatBody({ messages: [{ role: 'user', content: 'x'.repeat(4096) }] })),
    429: async () => {
      const first = await postChat(gateway, chatBody(), authHeaders(ONE_A_MINUTE_KEY));
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      return postChat(gateway, chatBody(), authHeaders(ONE_A_MINUTE_KEY));
    },
    502: () => {
      gateway.upstream.enqueueFor('dropping-model', { drop: 'before-headers' });
      return postChat(gateway, chatBody({ model: 'dropping-model' }));
    },
    503: async () => {
      // One retryable failure opens this route's circuit (CIRCUIT_MIN_CALLS=1).
      gateway.upstream.enqueueFor('breaking-model', { drop: 'before-headers' });
      const failed = await postChat(gateway, chatBody({ model: 'breaking-model' }));
      expect(failed.status).toBe(502);
      await failed.arrayBuffer();
      return postChat(gateway, chatBody({ model: 'breaking-model' }));
    },
    504: () => {
      gateway.upstream.enqueueFor('hanging-model', { hang: true });
      return postChat(gateway, chatBody({ model: 'hanging-model' }));
    },
  };

  it('should document every error status of the chat route, each with an example of its own', () => {
    const chat = operation(document, CHAT);
    const documented = Object.keys(chat.responses).filter((status) => Number(status) >= 400);
    expect(documented.sort()).toEqual(CHAT_ERRORS);
    const messages = CHAT_ERRORS.map((status) => errorExample(chat, status).message);
    expect(new Set(messages).size).toBe(CHAT_ERRORS.length);
  });

  it.each(Object.keys(provoke))(
    'should document for %s the error the chat route really answers',
    async (status) => {
      const response = await provoke[status]();
      const body = (await readJson(response)) as { error: ErrorBody };
      expect({ status: response.status, ...shape(body.error) }).toEqual({
        status: Number(status),
        ...shape(errorExample(operation(document, CHAT), status)),
      });
    },
  );

  it('should document 500 as the unexpected failure with the error id the log carries', () => {
    expect(errorExample(operation(document, CHAT), '500')).toEqual({
      message: expect.stringMatching(/\(error id [0-9a-f-]{36}\)\.$/),
      type: 'server_error',
      param: null,
      code: null,
    });
  });

  it('should give every documented error of every route an example in the error envelope', () => {
    const without: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const media = response.content?.['application/json'];
          // Health probes answer in terminus's shape; every other error is OpenAI's envelope.
          if (media?.schema?.$ref !== ERROR_SCHEMA_REF) {
            continue;
          }
          if (!isErrorEnvelope(media.example)) {
            without.push(`${method} ${path} ${status}`);
          }
        }
      }
    }
    expect(without).toEqual([]);
  });

  it('should show a chat completion as the 200 example, without placeholder values', () => {
    const example = operation(document, CHAT).responses['200'].content?.['application/json']
      ?.example as Record<string, unknown> | undefined;
    expect(example).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
    });
    expect(placeholders(example)).toEqual([]);
  });

  it('should lock /metrics in Swagger when METRICS_TOKEN is set, as the route itself is', async () => {
    expect(operation(document, '/metrics', 'get').security).toEqual([{ bearer: [] }]);
    const scrape = await fetch(`${gateway.url}/metrics`);
    expect(scrape.status).toBe(401);
    expect(shape(((await readJson(scrape)) as { error: ErrorBody }).error)).toEqual(
      shape(errorExample(operation(document, '/metrics', 'get'), '401')),
    );
  });
});
