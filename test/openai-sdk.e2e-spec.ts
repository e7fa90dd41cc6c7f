import OpenAI, { APIError } from 'openai';

import { DEFAULT_MODELS } from './fakes/fake-openai-upstream';
import { startGateway, TEST_KEY, TestGateway } from './support/gateway';

const ANSWER = 'Hello! How can I help you today?';
const MESSAGES = [{ role: 'user' as const, content: 'Hello!' }];

function sdkClient(gateway: TestGateway, apiKey = TEST_KEY): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
}

/** Rejects instead of letting a hung iteration run into the jest timeout. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('the official openai SDK against the gateway', () => {
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway();
    client = sdkClient(gateway);
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  describe('chat.completions', () => {
    it('should return the completion with _request_id taken from x-request-id', async () => {
      const call = client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
      // Both views come from the one HTTP exchange: the APIPromise parses it only once.
      const completion = await call;
      const { response, request_id } = await call.withResponse();
      expect(gateway.upstream.chatRequests()).toHaveLength(1);
      expect(completion.object).toBe('chat.completion');
      expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: ANSWER });
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage?.total_tokens).toBeGreaterThan(0);
      const header = response.headers.get('x-request-id');
      expect(header).toMatch(/^[0-9a-f-]{36}$/);
      expect(completion._request_id).toBe(header);
      expect(request_id).toBe(header);
    });

    it('should stream chunks to a for-await loop that ends after [DONE], usage included', async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
      });
      const collect = async () => {
        const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
        for await (const chunk of stream) {
          chunks.push(chunk);
        }
        return chunks;
      };
      // v6 keeps reading after [DONE] until EOF, so finishing proves the gateway closed the body.
      const chunks = await within(collect(), 5000, 'iterating the stream');
      expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(ANSWER);
      expect(chunks[0].choices[0].delta.role).toBe('assistant');
      const usageChunk = chunks[chunks.length - 1];
      expect(usageChunk.choices).toEqual([]);
      expect(usageChunk.usage).toMatchObject({
        prompt_tokens: expect.any(Number),
        completion_tokens: expect.any(Number),
        total_tokens: expect.any(Number),
      });
      expect(usageChunk.usage!.total_tokens).toBeGreaterThan(0);
    });

    it('should let the stream() helper assemble the final completion', async () => {
      const runner = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: MESSAGES });
      const completion = await within(runner.finalChatCompletion(), 5000, 'the stream helper');
      expect(completion.choices).toHaveLength(1);
      expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: ANSWER });
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(gateway.upstream.chatRequests()[0].body.stream).toBe(true);
    });
  });

  describe('errors', () => {
    it('should raise AuthenticationError for a wrong key', async () => {
      const wrong = sdkClient(gateway, 'sk-not-a-gateway-key-000');
      const error = await wrong.chat.completions
        .create({ model: 'gpt-4o-mini', messages: MESSAGES })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: 'invalid_api_key' });
      expect((error as APIError).requestID).toMatch(/^[0-9a-f-]{36}$/);
      expect(gateway.upstream.chatRequests()).toHaveLength(0);
    });

    it('should raise BadRequestError naming temperature for an out-of-range temperature', async () => {
      const error = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: MESSAGES, temperature: 3 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({
        status: 400,
        param: 'temperature',
        type: 'invalid_request_error',
      });
      expect(gateway.upstream.chatRequests()).toHaveLength(0);
    });

    it('should raise NotFoundError for an upstream 404 model_not_found', async () => {
      gateway.upstream.enqueue({
        status: 404,
        body: {
          error: {
            message: 'The model `gpt-nope` does not exist or you do not have access to it.',
            type: 'invalid_request_error',
            param: null,
            code: 'model_not_found',
          },
        },
      });
      const error = await client.chat.completions
        .create({ model: 'gpt-nope', messages: MESSAGES })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
      expect((error as Error).message).toContain('gpt-nope');
    });

    it('should raise APIError while iterating when the stream fails after it started', async () => {
      gateway.upstream.enqueue({ drop: 'after-first-chunk' });
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: MESSAGES,
        stream: true,
      });
      const received: string[] = [];
      const iterate = async () => {
        for await (const chunk of stream) {
          received.push(chunk.choices[0]?.delta?.content ?? '');
        }
      };
      const error = await within(iterate(), 5000, 'iterating the broken stream').catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as APIError).type).toBe('server_error');
      expect(received.join('')).toBe('Hello! ');
    });
  });

  describe('gateway throttling', () => {
    let throttled: TestGateway;

    beforeAll(async () => {
      throttled = await startGateway({ THROTTLE_LIMIT: '2' });
    });
    afterAll(() => throttled.close());

    it('should raise RateLimitError once the key has used its requests', async () => {
      const limited = sdkClient(throttled);
      const create = () =>
        limited.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
      await expect(create()).resolves.toMatchObject({ object: 'chat.completion' });
      await expect(create()).resolves.toMatchObject({ object: 'chat.completion' });
      const error = await create().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
      expect(Number((error as APIError).headers?.get('retry-after'))).toBeGreaterThan(0);
      expect(throttled.upstream.chatRequests()).toHaveLength(2);
    });
  });

  describe('models', () => {
    it('should list the upstream models as a page', async () => {
      const page = await client.models.list();
      expect(page.data.map((model) => model.id)).toEqual(DEFAULT_MODELS);
      expect(page.data.every((model) => model.object === 'model')).toBe(true);
      expect(page.hasNextPage()).toBe(false);
    });

    it('should retrieve a model by a provider-prefixed id that the SDK sends as %2F', async () => {
      const urls: string[] = [];
      const recording = new OpenAI({
        baseURL: `${gateway.url}/v1`,
        apiKey: TEST_KEY,
        maxRetries: 0,
        fetch: (url: string | URL | Request, init?: RequestInit) => {
          urls.push(url instanceof Request ? url.url : url.toString());
          return fetch(url, init);
        },
      });
      const model = await recording.models.retrieve('openai/gpt-4o');
      expect(urls).toEqual([`${gateway.url}/v1/models/openai%2Fgpt-4o`]);
      // The routing prefix names the provider; the model is the one that provider lists.
      expect(model).toMatchObject({ id: 'gpt-4o', object: 'model', owned_by: 'openai' });
    });

    it('should retrieve a model by its bare id', async () => {
      const model = await client.models.retrieve('gpt-4o-mini');
      expect(model).toMatchObject({ id: 'gpt-4o-mini', object: 'model' });
    });
  });
});
