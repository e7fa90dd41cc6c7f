import { json, KEY, useFakeStraico } from './support/fake-straico-client';

describe('fake Straico upstream', () => {
  const straico = useFakeStraico();
  const { post, chat } = straico;

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
      expect(straico.fake.chatRequests()).toHaveLength(1);
      expect(straico.fake.promptRequests()).toHaveLength(0);
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
      const response = await fetch(`${straico.fake.url}/v2/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: '{nope',
      });
      expect(response.status).toBe(400);
    });
  });
});
