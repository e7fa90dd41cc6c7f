import OpenAI, { APIError } from 'openai';

import { FakeStraicoUpstream } from './fakes/fake-straico-upstream';
import {
  failure,
  HAIKU,
  StraicoGateway,
  startStraicoGateway,
  STRAICO_HAIKU,
} from './support/straico';

const MESSAGES = [{ role: 'user' as const, content: 'Hello!' }];
const ANSWER = 'Hello from Straico!';
/** What the fake's selector picks per pricing method (chat models ordered by price). */
const PICKED = {
  quality: 'openai/o4-mini',
  balance: 'openai/gpt-4o-mini',
  budget: 'meta-llama/llama-4-maverick',
};

type Params = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

describe('Straico through the gateway (chat, mapping, auto, attachments)', () => {
  let setup: StraicoGateway;
  let straico: FakeStraicoUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    setup = await startStraicoGateway({ env: { STRAICO_RETRY_BASE_MS: '5' } });
    ({ straico, client } = setup);
  });
  afterAll(() => setup.close());
  beforeEach(() => straico.reset());

  describe('non-streaming chat', () => {
    it.each([
      ['the straico/ prefixed id', STRAICO_HAIKU],
      ['the bare id only Straico lists', HAIKU],
    ])('should answer a chat.completion for %s via /v2/chat/completions', async (_name, model) => {
      const { data: completion, response } = await client.chat.completions
        .create({ model, messages: MESSAGES })
        .withResponse();

      const sent = straico.chatRequests();
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
      const completion = await client.chat.completions.create(params);

      expect(completion.choices[0].message.content).toBe(ANSWER);
      const [sent] = straico.chatRequests();
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
      const completion = await client.chat.completions.create(params);

      expect(completion.choices[0].message.content).toBe(ANSWER);
      const [sent] = straico.chatRequests();
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
        client.chat.completions.create({
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
      expect(straico.chatRequests()).toHaveLength(0);
    });

    it('should reject n > 1 with 400 naming n, without calling Straico', async () => {
      const error = await failure(
        client.chat.completions.create({ model: STRAICO_HAIKU, messages: MESSAGES, n: 2 }),
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, param: 'n' });
      expect(straico.chatRequests()).toHaveLength(0);
    });
  });

  describe('auto model selection', () => {
    it.each([
      ['an omitted model', undefined, 'balance'],
      ['auto', 'auto', 'balance'],
      ['auto:quality', 'auto:quality', 'quality'],
      ['auto:budget', 'auto:budget', 'budget'],
    ] as const)(
      'should use the smart selector for %s',
      async (_name, model, method: keyof typeof PICKED) => {
        const params = { model, messages: MESSAGES } as Params;
        const { data: completion, response } = await client.chat.completions
          .create(params)
          .withResponse();

        const [sent] = straico.chatRequests();
        expect(sent.path).toBe('/v2/chat/completions');
        expect(sent.body).toEqual({ smart_llm_selector: method, messages: MESSAGES });
        expect(completion.model).toBe(PICKED[method]);
        expect(completion.choices[0].message.content).toBe(ANSWER);
        const reason = response.headers.get('x-gateway-selection-reason');
        // The fake's justification has two lines; the header carries one.
        expect(reason).toContain(`picked ${PICKED[method]} for the "${method}" pricing method.`);
        expect(reason).toContain('It offers the best fit');
        expect(reason).not.toMatch(/[\r\n]/);
        expect(reason!.length).toBeLessThanOrEqual(300);
        expect(response.headers.get('x-straico-coins')).toMatch(/^\d+(\.\d+)?$/);
        expect(response.headers.get('x-gateway-selected-model')).toBe(`straico/${PICKED[method]}`);
      },
    );

    it('should cut a long multi-line justification to one header line of at most 300 chars', async () => {
      straico.enqueue({ justification: `Because:\n${'very good model, '.repeat(40)}\r\nThe end.` });
      const { response } = await client.chat.completions
        .create({ model: 'auto', messages: MESSAGES })
        .withResponse();
      const reason = response.headers.get('x-gateway-selection-reason')!;
      expect(reason.startsWith('Because: very good model,')).toBe(true);
      expect(reason).not.toMatch(/[\r\n]/);
      expect(reason.length).toBeLessThanOrEqual(300);
      expect(straico.chatRequests()[0].body.smart_llm_selector).toBe('balance');
    });

    it('should answer 400 for an unknown pricing method without calling Straico', async () => {
      const error = await failure(
        client.chat.completions.create({ model: 'auto:cheapest', messages: MESSAGES }),
      );
      // A policy the gateway does not know is a bad value, whichever selector decides.
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, code: 'invalid_value', param: 'model' });
      expect((error as APIError).message).toContain('auto:balance');
      expect(straico.chatRequests()).toHaveLength(0);
    });
  });

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
      const { data: completion, response } = await client.chat.completions
        .create(params)
        .withResponse();

      expect(straico.chatRequests()).toHaveLength(0);
      const sent = straico.promptRequests();
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
      const { data: completion, response } = await client.chat.completions
        .create(params)
        .withResponse();

      const [sent] = straico.promptRequests();
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
      straico.enqueue(failed, failed, failed);
      const params = { model: STRAICO_HAIKU, messages: MESSAGES, ...attachments } as Params;
      const error = await failure(client.chat.completions.create(params));

      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 502, type: 'server_error' });
      expect((error as APIError).message).toContain('Model overloaded, try again later');
      const sent = straico.promptRequests();
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
      const completion = await client.chat.completions.create(params);
      const [sent] = straico.promptRequests();
      expect(sent.body).toEqual({
        models: [HAIKU],
        message: 'system: You are terse.\n\nuser: Summarise the file.',
        file_urls: attachments.file_urls,
      });
      expect(completion.choices[0].message.content).toBe(`${ANSWER} [files: 1, videos: 0]`);
    });
  });
});
