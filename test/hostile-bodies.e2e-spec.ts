import { memoryBackends, memoryApi, memoriesPath, startMemoryGateway } from './support/memory';
import { authHeaders, chatBody, postChat, startGateway, TestGateway } from './support/gateway';
import { readJson } from './support/json';
import { parsePrometheus } from './support/prometheus';

/** `{"a":{"a":…1…}}`, built as text: the test process must not recurse to build it either. */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** A chat body with `field` set to raw JSON text. */
function chatWith(field: string, json: string): string {
  const base = JSON.stringify(chatBody());
  return `${base.slice(0, -1)},${JSON.stringify(field)}:${json}}`;
}

function manyKeys(count: number): string {
  const keys = Array.from({ length: count }, (_, index) => `"k${index}":${index}`);
  return `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],${keys.join(',')}}`;
}

/** How long one GET /health/live takes while `hostile` is in flight. */
async function healthWhile(
  gateway: { url: string },
  hostile: () => Promise<Response>,
): Promise<{ hostile: Response; healthStatus: number; healthMs: number }> {
  const pending = hostile();
  const started = performance.now();
  const health = await fetch(`${gateway.url}/health/live`);
  const healthMs = performance.now() - started;
  return { hostile: await pending, healthStatus: health.status, healthMs };
}

// Today's code took 20 s on the 200,000-key body, with /health/live waiting as long. The bound
// is far above any normal answer on a loaded CI machine, and far below that.
const PROMPT_MS = 2_000;

async function expectInvalid(response: Response, param: string | null): Promise<void> {
  expect(response.status).toBe(400);
  expect(await readJson(response)).toEqual({
    error: {
      message: expect.any(String),
      type: 'invalid_request_error',
      param,
      code: 'invalid_value',
    },
  });
}

describe('hostile bodies on /v1/chat/completions', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());
  afterEach(() => expect(gateway.upstream.chatRequests()).toHaveLength(0));

  const cases: Array<[string, () => string, string | null]> = [
    ['200,000 extra top-level keys', () => manyKeys(200_000), null],
    [
      '100,000 messages',
      () =>
        JSON.stringify(
          chatBody({
            messages: Array.from({ length: 100_000 }, () => ({ role: 'user', content: 'x' })),
          }),
        ),
      'messages',
    ],
    [
      '2,049 messages (OpenAI allows 2,048)',
      () =>
        JSON.stringify(
          chatBody({
            messages: Array.from({ length: 2049 }, () => ({ role: 'user', content: 'x' })),
          }),
        ),
      'messages',
    ],
    [
      '129 tools',
      () =>
        JSON.stringify(
          chatBody({ tools: Array.from({ length: 129 }, () => ({ type: 'function' })) }),
        ),
      'tools',
    ],
    [
      'deep metadata',
      () => chatWith('metadata', nested(3000)),
      expect.stringMatching(/^metadata\.a/),
    ],
    [
      'deep tools',
      () => chatWith('tools', `[${nested(3000)}]`),
      expect.stringMatching(/^tools\[0\]/),
    ],
    [
      'deep response_format',
      () => chatWith('response_format', nested(3000)),
      expect.stringMatching(/^response_format\.a/),
    ],
    [
      'deep unknown field',
      () => chatWith('extra', nested(3000)),
      expect.stringMatching(/^extra\.a/),
    ],
    [
      'deep message content',
      () => JSON.stringify(chatBody()).replace('"content":"Hello!"', `"content":[${nested(3000)}]`),
      expect.stringMatching(/^messages\[0\]\.content\[0\]/),
    ],
    ['5,000 keys in metadata', () => chatWith('metadata', manyKeys(5_000)), 'metadata'],
  ];

  it.each(cases)(
    'should answer %s with a 400 envelope while /health/live answers',
    async (_, body, param) => {
      const text = body();
      const result = await healthWhile(gateway, () => postChat(gateway, text));
      await expectInvalid(result.hostile, param);
      expect(result.healthStatus).toBe(200);
      expect(result.healthMs).toBeLessThan(PROMPT_MS);
    },
  );

  it('should still accept a body within every bound', async () => {
    const tools = Array.from({ length: 128 }, (_, index) => ({
      type: 'function',
      function: { name: `f${index}`, parameters: JSON.parse(nested(20)) as object },
    }));
    const messages = Array.from({ length: 2048 }, () => ({ role: 'user', content: 'x' }));
    const response = await postChat(gateway, chatBody({ tools, messages }));
    expect(response.status).toBe(200);
    expect(gateway.upstream.chatRequests()).toHaveLength(1);
    expect(gateway.upstream.chatRequests()[0].body).toMatchObject({ tools, messages });
    gateway.upstream.reset();
  });
});

describe('hostile bodies on the memory add route', () => {
  const backend = memoryBackends()[0];
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startMemoryGateway(backend, 'sk-other-key');
  });
  afterAll(async () => {
    await gateway.close();
    await backend.teardown();
  });

  it.each<[string, () => string, string | null]>([
    [
      'deep metadata',
      () => `{"content":"hi","metadata":${nested(3000)}}`,
      expect.stringMatching(/^metadata\.a/),
    ],
    ['a deep batch item', () => `[${nested(3000)}]`, expect.stringMatching(/^\[0\]\.a/)],
    ['200,000 keys', () => manyKeys(200_000), null],
  ])('should answer %s with a 400 envelope while /health/live answers', async (_, body, param) => {
    const text = body();
    const result = await healthWhile(gateway, () =>
      fetch(`${gateway.url}/v1/memory${memoriesPath('hostile')}`, {
        method: 'POST',
        headers: authHeaders(),
        body: text,
      }),
    );
    await expectInvalid(result.hostile, param);
    expect(result.healthStatus).toBe(200);
    expect(result.healthMs).toBeLessThan(PROMPT_MS);
    const stored = await memoryApi(gateway, 'GET', memoriesPath('hostile'));
    expect((await readJson(stored)).data).toEqual([]);
  });
});

describe('model ids', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it.each([
    ['a CR LF header injection', 'gpt-4o-mini\r\nX-Injected: 1'],
    ['a NUL', 'gpt-4o\u0000mini'],
    ['non-ASCII characters', 'gpt-é中'],
    ['a space', 'gpt 4o'],
    ['200 KB', `gpt-${'x'.repeat(200_000)}`],
    ['257 characters', 'm'.repeat(257)],
  ])(
    'should refuse a model id with %s before calling the upstream, on chat and Responses',
    async (_, model) => {
      const response = await postChat(gateway, chatBody({ model }));
      await expectInvalid(response, 'model');
      const responses = await fetch(`${gateway.url}/v1/responses`, {
        method: 'POST',
        headers: authHeaders(),
        body: JSON.stringify({ model, input: 'hi' }),
      });
      await expectInvalid(responses, 'model');
      expect(gateway.upstream.chatRequests()).toHaveLength(0);
      expect(gateway.upstream.responsesRequests()).toHaveLength(0);
    },
  );

  it('should accept a 256-character printable id and pass it on', async () => {
    const model = `gpt-${'x'.repeat(252)}`;
    const response = await postChat(gateway, chatBody({ model }));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-selected-model')).toBe(model);
  });

  it('should keep /metrics small: ids the catalog and providers do not know count as other', async () => {
    const made = Array.from({ length: 20 }, (_, index) => `made-up-${index}-${'y'.repeat(200)}`);
    for (const model of made) {
      expect((await postChat(gateway, chatBody({ model }))).status).toBe(200);
    }
    expect((await postChat(gateway, chatBody())).status).toBe(200);
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const models = new Set(
      parsePrometheus(text)
        .filter((sample) => sample.name === 'gateway_http_requests_total')
        .map((sample) => sample.labels.model),
    );
    expect(models).toContain('other');
    expect(models).toContain('gpt-4o-mini');
    expect(made.some((model) => text.includes(model))).toBe(false);
    expect(text.length).toBeLessThan(100_000);
  });
});
