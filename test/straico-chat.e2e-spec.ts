import OpenAI, { APIError } from 'openai';

import {
  failure,
  HAIKU,
  STRAICO_HAIKU,
  useStraicoGateway,
  ANSWER,
  MESSAGES,
  Params,
} from './support/straico';

describe('Straico through the gateway (chat, mapping, auto, attachments)', () => {
  const booted = useStraicoGateway({ env: { STRAICO_RETRY_BASE_MS: '5' } });

  describe('non-streaming chat', () => {
    it.each([
      ['the straico/ prefixed id', STRAICO_HAIKU],
      ['the bare id only Straico lists', HAIKU],
    ])('should answer a chat.completion for %s via /v2/chat/completions', async (_name, model) => {
      const { data: completion, response } = await booted.client.chat.completions
        .create({ model, messages: MESSAGES })
        .withResponse();

      const sent = booted.straico.chatRequests();
      expect(sent).toHaveLength(1);
      expect(sent[0].path).toBe('/v2/chat/completions');
      expect(sent[0].headers.authorization).toBe('Bearer straico-test-key');
      expect(sent[0].body).toEqual({ model: HAIKU, messages: MESSAGES });

      expect(completion.object).toBe('chat.completion');
      expect(completion.model).toBe(HAIKU);
      expect(completion.choices).toHaveLength(1);
      expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: ANSWER });
      // The fake answers Anthropic models with the native `end_turn`.
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({
        prompt_tokens: 2,
        completion_tokens: 5,
        total_tokens: 7,
      });
      // 1 input word and 3 output words at 1 coin per 100 words.
      const usage = completion.usage as unknown as { straico: Record<string, unknown> };
      expect(usage.straico).toEqual({
        coins: 0.04,
        price: { input: 0.01, output: 0.03, total: 0.04 },
        words: { input: 1, output: 3, total: 4 },
      });
      expect(response.headers.get('x-straico-coins')).toBe('0.04');
      expect(response.headers.get('x-gateway-selection-reason')).toBeNull();
    });
  });

  describe('request mapping', () => {
    it('should send developer as system, max_tokens, temperature and the image url only', async () => {
      const params = {
        model: STRAICO_HAIKU,
        messages: [
          { role: 'developer', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              {
                type: 'image_url',
                image_url: { url: 'https://example.com/cat.png', detail: 'high' },
              },
            ],
          },
        ],
        max_completion_tokens: 50,
        temperature: 0.3,
        top_p: 0.9,
        seed: 7,
        stop: ['END'],
        user: 'user-42',
        metadata: { ticket: 'T-1' },
        n: 1,
        logprobs: false,
      } satisfies Params;
      const completion = await booted.client.chat.completions.create(params);

      expect(completion.choices[0].message.content).toBe(ANSWER);
      const [sent] = booted.straico.chatRequests();
      expect(Object.keys(sent.body).sort()).toEqual([
        'max_tokens',
        'messages',
        'model',
        'temperature',
      ]);
      expect(sent.body).toEqual({
        model: HAIKU,
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
            ],
          },
        ],
        max_tokens: 50,
        temperature: 0.3,
      });
    });

    it('should keep temperature 0, the deprecated max_tokens and replace_failed_models', async () => {
      const params = {
        model: STRAICO_HAIKU,
        messages: [
          { role: 'system', content: 'Be brief.', name: 'ops' },
          { role: 'user', content: 'Hello!', name: 'alice' },
          { role: 'assistant', content: 'Hi!', refusal: null },
          { role: 'user', content: 'Again.' },
        ],
        temperature: 0,
        max_tokens: 20,
        replace_failed_models: true,
      } as Params;
      const completion = await booted.client.chat.completions.create(params);

      expect(completion.choices[0].message.content).toBe(ANSWER);
      const [sent] = booted.straico.chatRequests();
      // Message names and refusal are not Straico fields (the fake would answer 400).
      expect(sent.body).toEqual({
        model: HAIKU,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello!' },
          { role: 'assistant', content: 'Hi!' },
          { role: 'user', content: 'Again.' },
        ],
        temperature: 0,
        max_tokens: 20,
        replace_failed_models: true,
      });
    });

    it('should reject an input_audio part with 400 naming it, without calling Straico', async () => {
      const error = await failure(
        booted.client.chat.completions.create({
          model: STRAICO_HAIKU,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Transcribe this.' },
                { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
              ],
            },
          ],
        }),
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({
        status: 400,
        param: 'messages[0].content[1]',
        type: 'invalid_request_error',
      });
      expect((error as APIError).message).toContain('input_audio');
      expect(booted.straico.chatRequests()).toHaveLength(0);
    });

    it('should reject n > 1 with 400 naming n, without calling Straico', async () => {
      const error = await failure(
        booted.client.chat.completions.create({ model: STRAICO_HAIKU, messages: MESSAGES, n: 2 }),
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, param: 'n' });
      expect(booted.straico.chatRequests()).toHaveLength(0);
    });
  });
});
