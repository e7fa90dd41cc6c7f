import {
  createFakeStraicoUpstream,
  FakeStraicoUpstream,
  StraicoScriptedReply,
} from './fakes/fake-straico-upstream';

const KEY = 'straico-test-key';

/** Response bodies are loosely typed on purpose: the assertions check their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (response: Response): Promise<any> => response.json();

describe('fake Straico upstream', () => {
  let fake: FakeStraicoUpstream;

  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${KEY}` },
    signal?: AbortSignal,
  ): Promise<Response> =>
    fetch(`${fake.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  const post = (path: string, body: unknown) => call('POST', path, body);
  const chat = (extra: Record<string, unknown> = {}) =>
    post('/v2/chat/completions', {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      ...extra,
    });

  beforeAll(async () => {
    fake = await createFakeStraicoUpstream().listen();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

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

  describe('chat completions', () => {
    it('should answer a bare chat.completion with price and words computed from the pricing', async () => {
      const response = await post('/v2/chat/completions', {
        model: 'anthropic/claude-3-haiku:beta',
        messages: [
          { role: 'system', content: 'You are terse.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Say hello to the world' },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            ],
          },
        ],
        temperature: 0.5,
        max_tokens: 100,
        replace_failed_models: true,
      });
      expect(response.status).toBe(201);
      const body = await json(response);
      expect(body.success).toBeUndefined();
      expect(body.data).toBeUndefined();
      expect(body).toMatchObject({
        object: 'chat.completion',
        model: 'anthropic/claude-3-haiku:beta',
        provider: 'OpenAI',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'Hello from Straico!',
              refusal: null,
              reasoning: null,
            },
            finish_reason: 'end_turn',
            native_finish_reason: 'end_turn',
            logprobs: null,
          },
        ],
        usage: { prompt_tokens_details: { cached_tokens: 0 } },
        // 3 + 5 input words, 3 output words, 1 coin per 100 words.
        words: { input: 8, output: 3, total: 11 },
        price: { input: 0.08, output: 0.03, total: 0.11 },
      });
      expect(body.id).toMatch(/^gen-\d+$/);
      expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
      expect(body.model_selector_justification).toBeUndefined();
    });

    it('should round prices to 2 decimals and finish with stop for non-Anthropic models', async () => {
      const body = await json(await chat());
      // 2 input words, 3 output words at 0.4 coins per 100 words.
      expect(body.words).toEqual({ input: 2, output: 3, total: 5 });
      expect(body.price).toEqual({ input: 0.01, output: 0.01, total: 0.02 });
      expect(body.choices[0].finish_reason).toBe('stop');
    });

    it('should answer the text after "echo:" in the last user message on /v0/chat/completions too', async () => {
      const response = await post('/v0/chat/completions', {
        model: 'meta-llama/llama-4-maverick',
        messages: [{ role: 'user', content: 'echo:  {"tool_calls":[]} ' }],
      });
      expect(response.status).toBe(201);
      expect((await json(response)).choices[0].message.content).toBe('{"tool_calls":[]}');
      expect(fake.chatRequests()).toHaveLength(1);
      expect(fake.promptRequests()).toHaveLength(0);
    });

    it('should pick a model with the smart selector and add a justification', async () => {
      const quality = await json(
        await post('/v2/chat/completions', {
          smart_llm_selector: 'quality',
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      );
      expect(quality.model).toBe('openai/o4-mini');
      expect(typeof quality.model_selector_justification).toBe('string');
      expect(quality.model_selector_justification).toContain('openai/o4-mini');

      const budget = await json(
        await post('/v2/chat/completions', {
          smart_llm_selector: 'budget',
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      );
      expect(budget.model).toBe('meta-llama/llama-4-maverick');
    });

    it('should answer 422 "Model not found" for an unknown model', async () => {
      const response = await chat({ model: 'anthropic/claude-3.5-sonnet' });
      expect(response.status).toBe(422);
      expect(await json(response)).toEqual({
        error: 'Model not found: anthropic/claude-3.5-sonnet',
        success: false,
      });
    });

    it('should answer 422 for an image model on the chat endpoint', async () => {
      expect((await chat({ model: 'openai/dall-e-3' })).status).toBe(422);
    });

    const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a stream field', { stream: true }, /stream/],
      ['a tools field', { tools: [] }, /tools/],
      ['max_completion_tokens', { max_completion_tokens: 10 }, /max_completion_tokens/],
      ['both model and smart_llm_selector', { smart_llm_selector: 'quality' }, /Exactly one/],
      ['neither model nor smart_llm_selector', { model: undefined }, /Exactly one/],
      [
        'the object form of smart_llm_selector',
        { model: undefined, smart_llm_selector: { quantity: 1, pricing_method: 'balance' } },
        /smart_llm_selector/,
      ],
      ['an unknown selector value', { model: undefined, smart_llm_selector: 'cheap' }, /quality/],
      ['empty messages', { messages: [] }, /messages/],
      [
        'a tool message',
        { messages: [{ role: 'tool', content: 'x', tool_call_id: 'c1' }] },
        /tool/,
      ],
      ['a developer message', { messages: [{ role: 'developer', content: 'x' }] }, /developer/],
      [
        'an assistant message with tool_calls',
        {
          messages: [
            { role: 'user', content: 'x' },
            { role: 'assistant', content: null, tool_calls: [] },
            { role: 'user', content: 'y' },
          ],
        },
        /tool_calls/,
      ],
      ['null content', { messages: [{ role: 'user', content: null }] }, /content/],
      [
        'an input_audio content part',
        { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
        /input_audio/,
      ],
      [
        'an image part without url',
        { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] },
        /image_url/,
      ],
      ['temperature 2.5', { temperature: 2.5 }, /temperature/],
      ['max_tokens 0', { max_tokens: 0 }, /max_tokens/],
      ['max_tokens 1.5', { max_tokens: 1.5 }, /max_tokens/],
    ];

    it.each(invalid)('should reject %s with 400', async (_title, extra, message) => {
      const response = await chat(extra);
      expect(response.status).toBe(400);
      const body = await json(response);
      expect(body.success).toBe(false);
      expect(body.error).toMatch(message);
    });

    it('should reject a body that is not JSON', async () => {
      const response = await fetch(`${fake.url}/v2/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: '{nope',
      });
      expect(response.status).toBe(400);
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
      expect(fake.promptRequests()).toHaveLength(1);
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

  describe('scripted replies', () => {
    it('should play a scripted 500 with a string error, then answer normally', async () => {
      const error =
        "Warning: It seems we couldn't process your request this time... Excessively large context for the LLM (context length: 123456) ...";
      fake.enqueue({ status: 500, body: { error, success: false } });
      const failed = await chat();
      expect(failed.status).toBe(500);
      expect(await json(failed)).toEqual({ error, success: false });
      expect((await chat()).status).toBe(201);
    });

    it('should play a scripted 500 with an object error', async () => {
      fake.enqueue({ status: 500, body: { error: { message: 'boom' }, success: false } });
      const response = await post('/v0/prompt/completion', {
        model: 'openai/gpt-4o-mini',
        message: 'Hi',
      });
      expect(response.status).toBe(500);
      expect((await json(response)).error).toEqual({ message: 'boom' });
    });

    it('should play a scripted 429 with a retry-after header', async () => {
      fake.enqueue({ status: 429, headers: { 'retry-after': '2' } });
      const response = await chat();
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(await json(response)).toEqual({ error: 'Scripted failure', success: false });
    });

    it('should not consume a scripted reply on a request that fails validation', async () => {
      fake.enqueue({ status: 503 });
      expect((await chat({ stream: true })).status).toBe(400);
      expect((await chat()).status).toBe(503);
    });

    it('should answer normally after a scripted delay', async () => {
      fake.enqueue({ delayMs: 300 });
      const started = Date.now();
      const response = await chat();
      expect(response.status).toBe(201);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    });

    it('should override content, reasoning, finish reason and model', async () => {
      const reply: StraicoScriptedReply = {
        content: '',
        reasoning: 'thinking it through',
        finishReason: 'max_tokens',
        model: 'openai/o4-mini-2025-04-16',
      };
      fake.enqueue(reply);
      const body = await json(await chat({ model: 'openai/o4-mini' }));
      expect(body.model).toBe('openai/o4-mini-2025-04-16');
      expect(body.choices[0]).toMatchObject({
        message: { content: '', reasoning: 'thinking it through' },
        finish_reason: 'max_tokens',
        native_finish_reason: 'max_tokens',
      });
      expect(body.words.output).toBe(3);
    });

    it('should override the selector justification', async () => {
      fake.enqueue({ justification: 'Because.\nReally.' });
      const body = await json(
        await post('/v2/chat/completions', {
          smart_llm_selector: 'balance',
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      );
      expect(body.model_selector_justification).toBe('Because.\nReally.');
    });

    it('should fail a single v1 model with modelErrors', async () => {
      fake.enqueue({ modelErrors: { 'openai/gpt-4o-mini': 'Model unavailable' } });
      const { data } = await json(
        await post('/v1/prompt/completion', {
          models: ['openai/gpt-4o-mini', 'openai/o4-mini'],
          message: 'Hi',
        }),
      );
      expect(data.completions['openai/gpt-4o-mini'].completion).toEqual({
        error: 'Model unavailable',
      });
      expect(data.completions['openai/o4-mini'].completion.object).toBe('chat.completion');
    });

    it('should drop the connection when asked to', async () => {
      fake.enqueue({ drop: true });
      await expect(chat()).rejects.toThrow();
    });

    it('should hang and record the client abort', async () => {
      fake.enqueue({ hang: true });
      const controller = new AbortController();
      const pending = call(
        'POST',
        '/v2/chat/completions',
        { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
        { authorization: `Bearer ${KEY}` },
        controller.signal,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort();
      await expect(pending).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(fake.chatRequests()[0].aborted).toBe(true);
    });

    it('should play scripted replies on GET endpoints with enqueueGet', async () => {
      fake.enqueueGet({ status: 503 });
      expect((await call('GET', '/v2/models')).status).toBe(503);
      expect((await call('GET', '/v2/models')).status).toBe(200);
    });

    it('should record requests with method, path, headers and body', async () => {
      await chat();
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({
        method: 'POST',
        path: '/v2/chat/completions',
        body: { model: 'openai/gpt-4o-mini' },
        aborted: false,
      });
      expect(fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    });
  });
});
