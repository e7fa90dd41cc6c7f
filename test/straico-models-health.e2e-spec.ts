import OpenAI from 'openai';

import {
  createFakeStraicoUpstream,
  DEFAULT_MODELS,
  FakeStraicoUpstream,
} from './fakes/fake-straico-upstream';
import { sleep, startGateway, TestGateway } from './support/gateway';
import {
  failure,
  sdkClient,
  StraicoGateway,
  startStraicoGateway,
  STRAICO_HAIKU,
} from './support/straico';

interface Indicator {
  status: string;
  message?: string;
}

interface HealthBody {
  status: string;
  info?: Record<string, Indicator>;
  error?: Record<string, Indicator>;
  details: Record<string, Indicator>;
}

const CHAT_IDS = DEFAULT_MODELS.filter((model) => model.model_type === 'chat').map(
  (model) => `straico/${model.id}`,
);

async function ready(gateway: TestGateway): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(`${gateway.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

describe('Straico models and health', () => {
  let setup: StraicoGateway;
  let straico: FakeStraicoUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    setup = await startStraicoGateway({
      env: { STRAICO_MODELS_TTL_MS: '1000', STRAICO_RETRY_BASE_MS: '5' },
    });
    ({ straico, client } = setup);
  });
  afterAll(() => setup.close());

  describe('while Straico answers', () => {
    it('should list the Straico chat models as straico/<id> with pricing and limits', async () => {
      const page = await client.models.list();
      const ids = page.data.map((model) => model.id);
      expect([...ids].sort()).toEqual([...CHAT_IDS].sort());
      expect(ids).not.toContain('straico/openai/dall-e-3');
      expect(page.hasNextPage()).toBe(false);

      const haiku = page.data.find((model) => model.id === STRAICO_HAIKU);
      expect(haiku).toMatchObject({
        object: 'model',
        owned_by: 'anthropic',
        created: 1710000000,
        pricing: { coins: 1, words: 100 },
        word_limit: 150000,
        max_output: 4096,
      });
      const listCalls = straico.requests.filter((r) => r.path === '/v2/models');
      expect(listCalls.length).toBeGreaterThanOrEqual(1);
      expect(listCalls[0].method).toBe('GET');
      expect(listCalls[0].headers.authorization).toBe('Bearer straico-test-key');
    });

    it('should retrieve a model by its straico/ id', async () => {
      const model = await client.models.retrieve(STRAICO_HAIKU);
      expect(model).toMatchObject({
        id: STRAICO_HAIKU,
        object: 'model',
        owned_by: 'anthropic',
        pricing: { coins: 1, words: 100 },
        word_limit: 150000,
      });
      expect(straico.requests.every((r) => r.method === 'GET')).toBe(true);
    });

    it('should answer 404 for a Straico image model or an unknown id', async () => {
      const image = await failure(client.models.retrieve('straico/openai/dall-e-3'));
      expect(image).toBeInstanceOf(OpenAI.NotFoundError);
      const unknown = await failure(client.models.retrieve('straico/anthropic/claude-3.5-sonnet'));
      expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
      expect(unknown).toMatchObject({ status: 404, code: 'model_not_found' });
    });

    it('should show provider:straico on /health/ready without calling Straico', async () => {
      straico.reset();
      const { status, body } = await ready(setup.gateway);
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.details['provider:straico']).toMatchObject({ status: 'up', enabled: true });
      expect(Object.keys(body.details)).toEqual([
        'process',
        'provider:straico',
        'routes',
        'memory',
      ]);
      expect(straico.requests).toEqual([]);
    });
  });

  describe('after Straico went away', () => {
    beforeAll(async () => {
      // Let the cached list go stale, then take Straico down.
      await sleep(1100);
      await straico.close();
    });

    it('should keep serving the stale model list', async () => {
      const first = await client.models.list();
      expect(first.data.map((model) => model.id)).toContain(STRAICO_HAIKU);
      // The background refresh has failed by now; the list is still served.
      await sleep(200);
      const second = await client.models.list();
      expect([...second.data.map((model) => model.id)].sort()).toEqual([...CHAT_IDS].sort());
      const model = await client.models.retrieve(STRAICO_HAIKU);
      expect(model.id).toBe(STRAICO_HAIKU);
    });

    it('should stay ready on /health/ready: Straico is not this process', async () => {
      const { status, body } = await ready(setup.gateway);
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
    });

    it('should answer a chat with 502 upstream_unreachable', async () => {
      const error = await failure(
        client.chat.completions.create({
          model: STRAICO_HAIKU,
          messages: [{ role: 'user', content: 'Hello!' }],
        }),
      );
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable' });
    });
  });
});

describe('Straico without STRAICO_API_KEY', () => {
  let gateway: TestGateway;
  let straico: FakeStraicoUpstream;

  beforeAll(async () => {
    straico = await createFakeStraicoUpstream().listen();
    gateway = await startGateway({ STRAICO_API_KEY: undefined, STRAICO_BASE_URL: straico.url });
  });
  afterAll(async () => {
    await gateway.close();
    await straico.close();
  });

  it('should leave the provider out of /health/ready', async () => {
    const { status, body } = await ready(gateway);
    expect(status).toBe(200);
    expect(Object.keys(body.details)).toEqual(['process', 'provider:openai', 'routes', 'memory']);
    expect(straico.requests).toHaveLength(0);
  });

  it('should not list Straico models and answer straico/ ids with 404', async () => {
    const client = sdkClient(gateway);
    const page = await client.models.list();
    expect(page.data.some((model) => model.id.startsWith('straico/'))).toBe(false);
    const error = await failure(
      client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: 'Hello!' }],
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(straico.requests).toHaveLength(0);
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });

  it('should send auto to the default OpenAI model instead of a selector', async () => {
    const completion = await sdkClient(gateway).chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(gateway.upstream.chatRequests().map((r) => r.body.model)).toEqual(['gpt-4o-mini']);
    expect(straico.requests).toHaveLength(0);
  });
});
