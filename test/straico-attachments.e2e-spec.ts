import OpenAI, { APIError } from 'openai';

import {
  failure,
  HAIKU,
  STRAICO_HAIKU,
  useStraicoGateway,
  ANSWER,
  MESSAGES,
  Params,
  PICKED,
} from './support/straico';

describe('Straico through the gateway (chat, mapping, auto, attachments)', () => {
  const booted = useStraicoGateway({ env: { STRAICO_RETRY_BASE_MS: '5' } });

  describe('attachments', () => {
    const attachments = {
      file_urls: ['https://prompt-rack.s3.amazonaws.com/api/1_words.csv'],
      youtube_urls: ['https://www.youtube.com/watch?v=a1B2c3D4e5F'],
    };

    it('should send file_urls and youtube_urls to /v1/prompt/completion for one model', async () => {
      const params = {
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: 'Which terms appear in the video?' }],
        temperature: 0.5,
        ...attachments,
      } as Params;
      const { data: completion, response } = await booted.client.chat.completions
        .create(params)
        .withResponse();

      expect(booted.straico.chatRequests()).toHaveLength(0);
      const sent = booted.straico.promptRequests();
      expect(sent).toHaveLength(1);
      expect(sent[0].path).toBe('/v1/prompt/completion');
      expect(sent[0].body).toEqual({
        models: [HAIKU],
        message: 'Which terms appear in the video?',
        temperature: 0.5,
        ...attachments,
      });

      expect(completion.object).toBe('chat.completion');
      expect(completion.model).toBe(HAIKU);
      expect(completion.choices).toHaveLength(1);
      expect(completion.choices[0].message.content).toBe(`${ANSWER} [files: 1, videos: 1]`);
      expect(completion.choices[0].finish_reason).toBe('stop');
      const usage = completion.usage as OpenAI.CompletionUsage & {
        straico: { coins: number; price: { total: number }; words: { input: number } };
      };
      expect(usage.prompt_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeGreaterThan(0);
      expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
      // The transcripts count as input words: 6 prompt words + 2 × 3 transcript words.
      expect(usage.straico.words.input).toBe(12);
      expect(usage.straico.coins).toBe(usage.straico.price.total);
      expect(response.headers.get('x-straico-coins')).toBe(String(usage.straico.coins));
    });

    it('should send the v1 selector object for auto with attachments', async () => {
      const params = { model: 'auto', messages: MESSAGES, ...attachments } as Params;
      const { data: completion, response } = await booted.client.chat.completions
        .create(params)
        .withResponse();

      const [sent] = booted.straico.promptRequests();
      expect(sent.path).toBe('/v1/prompt/completion');
      expect(sent.body).toEqual({
        smart_llm_selector: { quantity: 1, pricing_method: 'balance' },
        message: 'Hello!',
        ...attachments,
      });
      expect(completion.model).toBe(PICKED.balance);
      expect(completion.choices[0].message.content).toContain('[files: 1, videos: 1]');
      expect(response.headers.get('x-gateway-selection-reason')).toContain(PICKED.balance);
    });

    it("should answer 502 with Straico's message when the only requested model failed", async () => {
      // Once per attempt, whether or not the gateway retries it.
      const failed = { modelErrors: { [HAIKU]: 'Model overloaded, try again later' } };
      booted.straico.enqueue(failed, failed, failed);
      const params = { model: STRAICO_HAIKU, messages: MESSAGES, ...attachments } as Params;
      const error = await failure(booted.client.chat.completions.create(params));

      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 502, type: 'server_error' });
      expect((error as APIError).message).toContain('Model overloaded, try again later');
      const sent = booted.straico.promptRequests();
      expect(sent.length).toBeGreaterThanOrEqual(1);
      expect(sent[0].body.models).toEqual([HAIKU]);
    });

    it('should flatten a conversation into labelled turns for the v1 prompt', async () => {
      const params = {
        model: STRAICO_HAIKU,
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Summarise the file.' },
        ],
        file_urls: attachments.file_urls,
      } as Params;
      const completion = await booted.client.chat.completions.create(params);
      const [sent] = booted.straico.promptRequests();
      expect(sent.body).toEqual({
        models: [HAIKU],
        message: 'system: You are terse.\n\nuser: Summarise the file.',
        file_urls: attachments.file_urls,
      });
      expect(completion.choices[0].message.content).toBe(`${ANSWER} [files: 1, videos: 0]`);
    });
  });
});
