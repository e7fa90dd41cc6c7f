import { DEFAULT_MODELS } from './fakes/fake-openai-upstream';
import { authHeaders, startGateway, TestGateway } from './support/gateway';

interface Model {
  id: string;
  object: string;
  created: number;
  owned_by: string;
}

interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

describe('GET /v1/models', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  function get(path: string, headers: Record<string, string> = authHeaders()) {
    return fetch(`${gateway.url}${path}`, { headers });
  }

  describe('listing', () => {
    it('should answer an OpenAI model list with the upstream ids', async () => {
      const response = await get('/v1/models');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const list = (await response.json()) as { object: string; data: Model[] };
      expect(list.object).toBe('list');
      expect(list.data.map((model) => model.id)).toEqual(expect.arrayContaining(DEFAULT_MODELS));
      for (const model of list.data) {
        expect(model).toEqual({
          id: expect.any(String),
          object: 'model',
          created: expect.any(Number),
          owned_by: expect.any(String),
        });
      }
    });

    it('should refuse a request without a key with 401 invalid_api_key', async () => {
      const response = await get('/v1/models', {});
      expect(response.status).toBe(401);
      expect(((await response.json()) as ErrorEnvelope).error).toMatchObject({
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    });
  });

  describe('retrieving one model', () => {
    it('should answer a bare id with that model', async () => {
      const response = await get('/v1/models/gpt-4o');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        id: 'gpt-4o',
        object: 'model',
        created: 1700000000,
        owned_by: 'openai',
      });
    });

    it.each([
      ['percent-encoded as newer SDKs send it', '/v1/models/openai%2Fgpt-4o'],
      ['raw as older SDKs send it', '/v1/models/openai/gpt-4o'],
    ])('should accept a provider-prefixed id with its slash %s', async (_how, path) => {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        id: 'gpt-4o',
        object: 'model',
        owned_by: 'openai',
      });
    });

    it.each([
      ['an unknown bare id', 'gpt-nope', 'gpt-nope'],
      ['an unknown provider-prefixed id', 'openai%2Fgpt-nope', 'openai/gpt-nope'],
    ])('should answer 404 model_not_found for %s', async (_kind, segment, id) => {
      const response = await get(`/v1/models/${segment}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: {
          message: expect.stringContaining(`\`${id}\``),
          type: 'invalid_request_error',
          param: 'model',
          code: 'model_not_found',
        },
      });
    });

    it('should refuse a request without a key with 401', async () => {
      const response = await get('/v1/models/gpt-4o', {});
      expect(response.status).toBe(401);
      expect(((await response.json()) as ErrorEnvelope).error.code).toBe('invalid_api_key');
    });

    it('should refuse a wrong key with 401', async () => {
      const response = await get('/v1/models/gpt-4o', authHeaders('sk-not-a-gateway-key-000'));
      expect(response.status).toBe(401);
      expect(((await response.json()) as ErrorEnvelope).error.code).toBe('invalid_api_key');
    });
  });
});
