import OpenAI, { APIError } from 'openai';

import { FakeStraicoUpstream, StraicoScriptedReply } from './fakes/fake-straico-upstream';
import {
  failure,
  HAIKU,
  StraicoGateway,
  startStraicoGateway,
  STRAICO_HAIKU,
} from './support/straico';

const MESSAGES = [{ role: 'user' as const, content: 'Hello!' }];
const CONTEXT_ERROR =
  "Warning: It seems we couldn't process your request this time, and rest assured, no coins " +
  'were deducted. This might be due to: Moderation; Excessively large context for the LLM ' +
  '(context length: 100000); High demands on our LLM providers.';

describe('Straico errors as the openai SDK sees them', () => {
  let setup: StraicoGateway;
  let straico: FakeStraicoUpstream;
  let client: OpenAI;

  const chat = (model = STRAICO_HAIKU) =>
    failure(client.chat.completions.create({ model, messages: MESSAGES }));
  const times = (count: number, reply: StraicoScriptedReply) =>
    straico.enqueue(...Array.from({ length: count }, () => reply));

  beforeAll(async () => {
    setup = await startStraicoGateway({
      env: { STRAICO_RETRY_ATTEMPTS: '2', STRAICO_RETRY_BASE_MS: '5' },
    });
    ({ straico, client } = setup);
  });
  afterAll(() => setup.close());
  beforeEach(() => straico.reset());

  describe('models', () => {
    it('should answer an unknown straico/ model with 404 and a suggestion, without a call', async () => {
      const error = await chat('straico/anthropic/claude-3.5-sonnet');
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
      const message = (error as APIError).message;
      expect(message).toContain('anthropic/claude-3.5-sonnet');
      expect(message).toMatch(/Did you mean: .*straico\/anthropic\/claude-3-haiku:beta/);
      expect(straico.chatRequests()).toHaveLength(0);
    });

    it('should answer an unknown bare id with 404 suggesting the straico/ id', async () => {
      const error = await chat('anthropic/claude-3.5-sonnet');
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
      expect((error as APIError).message).toContain('straico/anthropic/claude-3-haiku:beta');
      expect(straico.chatRequests()).toHaveLength(0);
    });

    it('should turn a 422 "Model not found" from Straico into 404 for a listed model', async () => {
      straico.enqueue({
        status: 422,
        body: { error: `Model not found: ${HAIKU}`, success: false },
      });
      const error = await chat();
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
      expect((error as APIError).message).toContain(HAIKU);
      expect(straico.chatRequests()).toHaveLength(1);
    });
  });

  describe('failures', () => {
    it('should answer the "Excessively large context" 500 with 400 and not retry it', async () => {
      times(3, { status: 500, body: { error: CONTEXT_ERROR, success: false } });
      const error = await chat();
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({
        status: 400,
        code: 'context_length_exceeded',
        param: 'messages',
        type: 'invalid_request_error',
      });
      expect((error as APIError).message).toContain('context length: 100000');
      expect(straico.chatRequests()).toHaveLength(1);
    });

    it('should retry 503 twice and then answer the success', async () => {
      times(2, { status: 503 });
      const { data: completion, response } = await client.chat.completions
        .create({ model: STRAICO_HAIKU, messages: MESSAGES })
        .withResponse();
      expect(response.status).toBe(200);
      expect(completion.choices[0].message.content).toBe('Hello from Straico!');
      expect(straico.chatRequests()).toHaveLength(3);
      expect(straico.chatRequests().every((r) => r.body.model === HAIKU)).toBe(true);
    });

    it('should answer 502 after three 503s', async () => {
      times(3, { status: 503, body: { error: 'Service Unavailable', success: false } });
      const error = await chat();
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 502, type: 'server_error', code: 'upstream_error' });
      expect((error as APIError).message).toContain('Service Unavailable');
      expect(straico.chatRequests()).toHaveLength(3);
    });

    it('should answer 429 rate_limit_exceeded after three 429s with retry-after: 0', async () => {
      times(3, {
        status: 429,
        body: { error: 'Too many requests', success: false },
        headers: { 'retry-after': '0' },
      });
      const error = await chat();
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
      expect((error as APIError).message).toContain('Too many requests');
      expect((error as APIError).headers?.get('retry-after')).toBe('0');
      expect(straico.chatRequests()).toHaveLength(3);
    });

    it('should surface the message of an error body that is an object', async () => {
      straico.enqueue({
        status: 400,
        body: { error: { message: 'Prompt rejected by moderation' }, success: false },
      });
      const error = await chat();
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, code: 'upstream_rejected' });
      expect((error as APIError).message).toContain('Prompt rejected by moderation');
      expect(straico.chatRequests()).toHaveLength(1);
    });

    it('should not echo a non-JSON error page', async () => {
      times(3, { status: 502, body: '<html><body>Bad Gateway</body></html>' });
      const error = await chat();
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 502 });
      expect((error as APIError).message).toContain('HTTP 502');
      expect((error as APIError).message).not.toContain('<html>');
      expect(straico.chatRequests()).toHaveLength(3);
    });

    it('should answer 502 when Straico drops the connection every time', async () => {
      times(3, { drop: true });
      const error = await chat();
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable' });
      expect(straico.chatRequests()).toHaveLength(3);
    });
  });
});

describe('Straico rejecting the gateway key', () => {
  let setup: StraicoGateway;

  beforeAll(async () => {
    setup = await startStraicoGateway({
      env: { STRAICO_API_KEY: 'wrong-straico-key' },
      waitForModels: false,
    });
  });
  afterAll(() => setup.close());

  it('should answer 502 upstream_auth_failed, not 401, and not retry', async () => {
    const error = await failure(
      setup.client.chat.completions.create({ model: STRAICO_HAIKU, messages: MESSAGES }),
    );
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
    const sent = setup.straico.chatRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0].headers.authorization).toBe('Bearer wrong-straico-key');
    expect(sent[0].body).toEqual({ model: HAIKU, messages: MESSAGES });
  });
});

describe('Straico behind a base URL with a version suffix', () => {
  let setup: StraicoGateway;

  beforeAll(async () => {
    // Straico paths carry their own version, so `/v2` here is a misconfiguration.
    setup = await startStraicoGateway({
      baseUrlSuffix: '/v2',
      env: { STRAICO_RETRY_BASE_MS: '5' },
      waitForModels: false,
    });
  });
  afterAll(() => setup.close());

  it('should answer 502 pointing at STRAICO_BASE_URL, not 404 for the model', async () => {
    const error = await failure(
      setup.client.chat.completions.create({ model: STRAICO_HAIKU, messages: MESSAGES }),
    );
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 502, type: 'server_error' });
    expect((error as APIError).message).toContain('STRAICO_BASE_URL');
    const paths = setup.straico.requests.map((r) => r.path);
    expect(paths).toContain('/v2/v2/chat/completions');
    expect(setup.straico.chatRequests()).toHaveLength(0);
  });
});

describe('Straico not answering in time', () => {
  let setup: StraicoGateway;

  beforeAll(async () => {
    setup = await startStraicoGateway({
      env: { STRAICO_TIMEOUT_MS: '1000', STRAICO_RETRY_ATTEMPTS: '0' },
    });
  });
  afterAll(() => setup.close());

  it('should answer 504 once STRAICO_TIMEOUT_MS has passed', async () => {
    setup.straico.enqueue({ hang: true });
    const startedAt = Date.now();
    const error = await failure(
      setup.client.chat.completions.create({ model: STRAICO_HAIKU, messages: MESSAGES }),
    );
    const elapsed = Date.now() - startedAt;
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    expect(setup.straico.chatRequests()).toHaveLength(1);
  });
});
