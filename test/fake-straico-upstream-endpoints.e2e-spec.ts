import { json, KEY, useFakeStraico } from './support/fake-straico-client';

describe('fake Straico upstream', () => {
  const straico = useFakeStraico();
  const { call, post } = straico;

  describe('auth', () => {
    it('should answer 401 "No token provided" without an Authorization header', async () => {
      const response = await call('GET', '/v2/models', undefined, {});
      expect(response.status).toBe(401);
      expect(await json(response)).toEqual({ error: 'No token provided', success: false });
    });

    it('should answer 401 "Token is not valid" for a wrong key', async () => {
      const response = await call(
        'POST',
        '/v2/chat/completions',
        {},
        { authorization: 'Bearer nope' },
      );
      expect(response.status).toBe(401);
      expect(await json(response)).toEqual({ error: 'Token is not valid', success: false });
    });

    it('should not recognise the key in an X-API-Key header', async () => {
      const response = await call('GET', '/v0/user', undefined, { 'x-api-key': KEY });
      expect(response.status).toBe(401);
      expect((await json(response)).error).toBe('No token provided');
    });
  });

  describe('GET endpoints', () => {
    it('should list chat and image models in a data/success envelope', async () => {
      const response = await call('GET', '/v2/models');
      expect(response.status).toBe(200);
      const body = await json(response);
      expect(body.success).toBe(true);
      const ids = body.data.map((m: { id: string }) => m.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'openai/gpt-4o-mini',
          'anthropic/claude-3-haiku:beta',
          'meta-llama/llama-4-maverick',
          'openai/o4-mini',
        ]),
      );
      expect(body.data.some((m: { model_type: string }) => m.model_type === 'image')).toBe(true);
      expect(
        body.data.find((m: { id: string }) => m.id === 'anthropic/claude-3-haiku:beta'),
      ).toMatchObject({
        name: 'Anthropic: Claude 3 Haiku',
        word_limit: 150000,
        pricing: { coins: 1, words: 100 },
        max_output: 4096,
        owned_by: 'anthropic',
        object: 'model',
        model_type: 'chat',
      });
    });

    it('should return one model whose id contains unencoded slashes', async () => {
      const response = await call('GET', '/v2/models/anthropic/claude-3-haiku:beta');
      expect(response.status).toBe(200);
      const body = await json(response);
      expect(body).toMatchObject({
        success: true,
        data: { id: 'anthropic/claude-3-haiku:beta', object: 'model', model_type: 'chat' },
      });
      // The detail shape differs from the list entry (reference §6.4).
      expect(body.data.word_limit).toBeUndefined();
      expect(body.data.model_capabilities).toContain('image_input');
    });

    it('should answer 422 "Model not found" for an unknown model id', async () => {
      const response = await call('GET', '/v2/models/acme/unknown-1');
      expect(response.status).toBe(422);
      expect(await json(response)).toEqual({
        error: 'Model not found: acme/unknown-1',
        success: false,
      });
    });

    it('should return the user in a data/success envelope', async () => {
      const response = await call('GET', '/v0/user');
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({
        data: { first_name: 'Jane', last_name: 'Doe', coins: 562621.19, plan: 'Ultimate Pack' },
        success: true,
      });
    });

    it('should answer 404 for unknown routes', async () => {
      const response = await post('/v1/chat/completions', {});
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({ error: 'Not found', success: false });
    });
  });

  describe('prompt completions', () => {
    it('should wrap a v0 prompt completion in a data/success envelope with 201', async () => {
      const response = await post('/v0/prompt/completion', {
        model: 'openai/gpt-4o-mini',
        message: 'Give me three tips',
        temperature: 1,
      });
      expect(response.status).toBe(201);
      const body = await json(response);
      expect(body.success).toBe(true);
      expect(body.data.completion).toMatchObject({
        object: 'chat.completion',
        model: 'openai/gpt-4o-mini',
        choices: [{ message: { role: 'assistant', content: 'Hello from Straico!' } }],
      });
      expect(body.data.completion.price).toBeUndefined();
      expect(body.data.words).toEqual({ input: 4, output: 3, total: 7 });
      expect(body.data.price).toEqual({ input: 0.02, output: 0.01, total: 0.03 });
      expect(straico.fake.promptRequests()).toHaveLength(1);
    });

    it('should accept the string selector on v0 prompt and reject the object form', async () => {
      const ok = await post('/v0/prompt/completion', {
        smart_llm_selector: 'balance',
        message: 'Hi',
      });
      expect(ok.status).toBe(201);
      const body = await json(ok);
      expect(body.data.completion.model).toBe('openai/gpt-4o-mini');
      expect(body.data.model_selector_justification).toEqual(expect.any(String));

      const bad = await post('/v0/prompt/completion', {
        smart_llm_selector: { quantity: 1, pricing_method: 'balance' },
        message: 'Hi',
      });
      expect(bad.status).toBe(400);
    });

    it('should answer v1 prompts with a completions map keyed by the requested ids and overall sums', async () => {
      const response = await post('/v1/prompt/completion', {
        models: ['anthropic/claude-3-haiku:beta', 'openai/gpt-4o-mini'],
        message: 'Name four planets please',
      });
      expect(response.status).toBe(201);
      const { data, success } = await json(response);
      expect(success).toBe(true);
      expect(Object.keys(data.completions)).toEqual([
        'anthropic/claude-3-haiku:beta',
        'openai/gpt-4o-mini',
      ]);
      const haiku = data.completions['anthropic/claude-3-haiku:beta'];
      expect(haiku.words).toEqual({ input: 4, output: 3, total: 7 });
      expect(haiku.price).toEqual({ input: 0.04, output: 0.03, total: 0.07 });
      expect(haiku.completion.choices[0].finish_reason).toBe('end_turn');
      expect(data.overall_words).toEqual({ input: 8, output: 6, total: 14 });
      expect(data.overall_price).toEqual({ input: 0.06, output: 0.04, total: 0.1 });
      expect(data.transcripts).toBeUndefined();
    });

    it('should show file and video attachments in the v1 answer and return transcripts on request', async () => {
      const response = await post('/v1/prompt/completion', {
        smart_llm_selector: { quantity: 2, pricing_method: 'budget' },
        message: 'Summarise',
        file_urls: ['https://prompt-rack.s3.amazonaws.com/api/1_a.csv'],
        youtube_urls: ['https://www.youtube.com/watch?v=x1', 'https://www.youtube.com/watch?v=x2'],
        display_transcripts: true,
      });
      expect(response.status).toBe(201);
      const { data } = await json(response);
      expect(Object.keys(data.completions)).toEqual([
        'meta-llama/llama-4-maverick',
        'openai/gpt-4o-mini',
      ]);
      const first = data.completions['meta-llama/llama-4-maverick'].completion;
      expect(first.choices[0].message.content).toBe('Hello from Straico! [files: 1, videos: 2]');
      expect(data.transcripts).toHaveLength(3);
      expect(data.model_selector_justification).toEqual(expect.any(String));
    });

    it.each<[string, Record<string, unknown>]>([
      ['a string selector', { models: undefined, smart_llm_selector: 'quality' }],
      ['five models', { models: ['a', 'b', 'c', 'd', 'e'] }],
      ['duplicate models', { models: ['openai/gpt-4o-mini', 'openai/gpt-4o-mini'] }],
      ['five file_urls', { file_urls: ['1', '2', '3', '4', '5'] }],
      ['an unknown field', { messages: [] }],
      ['a missing message', { message: undefined }],
    ])('should reject a v1 prompt with %s', async (_title, extra) => {
      const response = await post('/v1/prompt/completion', {
        models: ['openai/gpt-4o-mini'],
        message: 'Hi',
        ...extra,
      });
      expect(response.status).toBe(400);
    });
  });
});
