import { authHeaders, chatBody, postChat, startGateway, TestGateway } from './support/gateway';
import {
  prose,
  RESILIENCE_CATALOG,
  UNAVAILABLE,
  upstreamCalls,
  upstreamModels,
} from './support/routing';
import { readJson } from './support/json';

/**
 * The gateway's own `auto` selector (SELECTOR=gateway, no Straico) over the resilience catalog:
 * tiny (small, 4k context, cheapest), eye (small, vision, 6k), mid (medium, tools, 16k) and big
 * (large, everything, 16k).
 */
describe('Auto selection (SELECTOR=gateway)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      MODELS_FILE: RESILIENCE_CATALOG,
      SELECTOR: 'gateway',
      STRAICO_API_KEY: undefined,
      SELECTOR_DEFAULT_POLICY: undefined,
      RETRY_ATTEMPTS: '0',
      CIRCUIT_MIN_CALLS: '100000',
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  function selected(response: Response) {
    return {
      model: response.headers.get('x-gateway-selected-model'),
      reason: response.headers.get('x-gateway-selection-reason') ?? '',
    };
  }

  describe('by prompt size', () => {
    it('should pick the small model for a short prompt and explain why in one line', async () => {
      const response = await postChat(gateway, chatBody({ model: 'auto' }));

      expect(response.status).toBe(200);
      expect((await readJson(response)).model).toBe('tiny-v1');
      expect(upstreamModels(gateway)).toEqual(['tiny-v1']);
      const { model, reason } = selected(response);
      expect(model).toBe('tiny');
      expect(reason).toMatch(/^[\x20-\x7e]{1,300}$/);
      expect(reason).toContain('tier=small');
      expect(reason).toContain('policy=balance');
      expect(reason).toContain('fits 4.0k context');
    });

    it('should treat a request without a model as auto', async () => {
      const response = await postChat(gateway, {
        messages: [{ role: 'user', content: 'Hello!' }],
      });

      expect(response.status).toBe(200);
      expect(selected(response).model).toBe('tiny');
      expect(upstreamModels(gateway)).toEqual(['tiny-v1']);
    });

    it("should pick a larger model when the prompt exceeds the small models' context", async () => {
      const response = await postChat(gateway, {
        model: 'auto',
        messages: [{ role: 'user', content: prose(6000) }],
      });

      expect(response.status).toBe(200);
      const { model, reason } = selected(response);
      expect(model).toBe('mid');
      expect(reason).toContain('tier=medium');
      expect(reason).toContain('excluded 2 too small for context');
      expect(reason).toContain('fits 16k context');
      expect(reason).not.toContain('\n');
      expect(upstreamModels(gateway)).toEqual(['mid-v1']);
    });

    it('should refuse with context_length_exceeded when no model is large enough', async () => {
      const response = await postChat(gateway, {
        model: 'auto',
        messages: [{ role: 'user', content: prose(20000) }],
      });

      expect(response.status).toBe(400);
      expect((await readJson(response)).error).toMatchObject({
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
        message: expect.stringContaining('16000'),
      });
      expect(gateway.upstream.chatRequests()).toHaveLength(0);
    });
  });

  describe('policies', () => {
    it('should pick the highest tier for auto:quality and the cheapest for auto:cost', async () => {
      const quality = await postChat(gateway, chatBody({ model: 'auto:quality' }));
      const cost = await postChat(gateway, chatBody({ model: 'auto:cost' }));

      expect(selected(quality).model).toBe('big');
      expect(selected(quality).reason).toContain('policy=quality');
      expect(selected(quality).reason).toContain('highest tier');
      expect(selected(cost).model).toBe('tiny');
      expect(selected(cost).reason).toContain('policy=cost');
      expect(upstreamModels(gateway)).toEqual(['big-v1', 'tiny-v1']);
    });

    it('should take the policy from x-gateway-policy, the auto:<policy> suffix winning', async () => {
      const headers = { ...authHeaders(), 'x-gateway-policy': 'quality' };
      const byHeader = await postChat(gateway, chatBody({ model: 'auto' }), headers);
      const bySuffix = await postChat(gateway, chatBody({ model: 'auto:cost' }), headers);

      expect(byHeader.status).toBe(200);
      expect(selected(byHeader).model).toBe('big');
      expect(selected(byHeader).reason).toContain('policy=quality');
      expect(selected(bySuffix).model).toBe('tiny');
      expect(upstreamModels(gateway)).toEqual(['big-v1', 'tiny-v1']);
    });

    it('should refuse an unknown policy, in the model or the header, with 400', async () => {
      const inModel = await postChat(gateway, chatBody({ model: 'auto:fastest' }));
      const inHeader = await postChat(gateway, chatBody({ model: 'auto' }), {
        ...authHeaders(),
        'x-gateway-policy': 'cheapest',
      });

      expect(inModel.status).toBe(400);
      expect((await readJson(inModel)).error).toMatchObject({
        type: 'invalid_request_error',
        param: 'model',
        code: 'invalid_value',
        message: expect.stringContaining('auto:fastest'),
      });
      expect(inHeader.status).toBe(400);
      expect((await readJson(inHeader)).error.message).toContain('cheapest');
      expect(gateway.upstream.chatRequests()).toHaveLength(0);
    });
  });

  describe('capabilities', () => {
    it('should send a request with an image to a vision model', async () => {
      const content = [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      ];
      const response = await postChat(gateway, {
        model: 'auto',
        messages: [{ role: 'user', content }],
      });

      expect(response.status).toBe(200);
      const { model, reason } = selected(response);
      expect(model).toBe('eye');
      expect(reason).toContain('needs vision');
      expect(reason).toContain('lacking vision');
      const [received] = gateway.upstream.chatRequests();
      expect(received.model).toBe('eye-v1');
      expect(received.body.messages[0].content).toEqual(content);
    });

    it('should send a request with tools to a tools-capable model', async () => {
      const tools = [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
        },
      ];
      const response = await postChat(gateway, chatBody({ model: 'auto', tools }));

      expect(response.status).toBe(200);
      const { model, reason } = selected(response);
      expect(model).toBe('mid');
      expect(reason).toContain('needs tools');
      const [received] = gateway.upstream.chatRequests();
      expect(received.model).toBe('mid-v1');
      expect(received.body.tools).toEqual(tools);
    });
  });

  describe('with fallbacks', () => {
    it("should fall back along the chosen model's chain and report it", async () => {
      gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE);

      const response = await postChat(gateway, chatBody({ model: 'auto' }));

      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-selected-model')).toBe('big');
      expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503)');
      expect(response.headers.get('x-gateway-selection-reason')).toContain('tier=small');
      expect(upstreamModels(gateway)).toEqual(['tiny-v1', 'big-v1']);
    });

    it('should stream the selected model with the selection headers', async () => {
      const response = await postChat(gateway, chatBody({ model: 'auto:quality', stream: true }));

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(selected(response).model).toBe('big');
      expect(selected(response).reason).toContain('policy=quality');
      expect(await response.text()).toContain('data: [DONE]');
      expect(upstreamCalls(gateway, 'big-v1')).toBe(1);
    });
  });
});
