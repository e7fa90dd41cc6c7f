import {
  STRAICO_MODEL as MODEL,
  straicoRequest as request,
  weatherTool,
} from '../testing/straico-request.fixtures';
import { thrownGatewayException as thrown } from '../testing/thrown-gateway-exception';
import {
  hasAttachments,
  toStraicoChatRequest,
  toStraicoPromptV1Request,
} from './straico-request.mapper';

describe('toStraicoChatRequest', () => {
  describe('target and fields', () => {
    it('should send the model id when a model is targeted', () => {
      const body = toStraicoChatRequest(request([{ role: 'user', content: 'hi' }]), MODEL);
      expect(body).toEqual({
        model: 'meta-llama/llama-4-maverick',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(body).not.toHaveProperty('smart_llm_selector');
    });

    it('should send smart_llm_selector as a string when the selector is targeted', () => {
      // §5.1: V2-DOC documents the string form; DOAI sends an object (CONFLICT). The gateway
      // follows the documented string form.
      const body = toStraicoChatRequest(request([{ role: 'user', content: 'hi' }]), {
        selector: 'quality',
      });
      expect(body.smart_llm_selector).toBe('quality');
      expect(body).not.toHaveProperty('model');
    });

    it('should send only the fields Straico accepts for a request full of OpenAI parameters', () => {
      // §5.1: stream, tools, structured output are "NOT available"; whether Straico ignores or
      // rejects them is UNCERTAIN, so none of them is ever sent.
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], {
          temperature: 0.7,
          max_tokens: 150,
          replace_failed_models: true,
          top_p: 0.9,
          n: 1,
          stop: ['\n\n'],
          seed: 42,
          stream: true,
          stream_options: { include_usage: true },
          tools: [weatherTool],
          tool_choice: 'auto',
          parallel_tool_calls: false,
          response_format: { type: 'json_object' },
          user: 'user-123',
          logprobs: true,
          top_logprobs: 2,
          metadata: { run: 'a' },
          frequency_penalty: 0.5,
          presence_penalty: 0.5,
          logit_bias: { '50256': -100 },
          store: true,
          reasoning_effort: 'low',
          service_tier: 'auto',
        }),
        MODEL,
      );
      expect(Object.keys(body).sort()).toEqual(
        ['max_tokens', 'messages', 'model', 'replace_failed_models', 'temperature'].sort(),
      );
      expect(body.temperature).toBe(0.7);
      expect(body.max_tokens).toBe(150);
      expect(body.replace_failed_models).toBe(true);
      for (const message of body.messages) {
        expect(Object.keys(message).sort()).toEqual(['content', 'role']);
      }
    });

    it('should send smart_llm_selector instead of model in the allowed key set', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], { top_p: 1, seed: 1, temperature: 0 }),
        { selector: 'budget' },
      );
      expect(Object.keys(body).sort()).toEqual(['messages', 'smart_llm_selector', 'temperature']);
      expect(body.temperature).toBe(0);
    });

    it('should leave out sampling fields the caller did not set or set to non-values', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], {
          temperature: null,
          max_tokens: null,
          replace_failed_models: 'yes',
        }),
        MODEL,
      );
      expect(Object.keys(body).sort()).toEqual(['messages', 'model']);
    });

    it('should send max_completion_tokens as max_tokens', () => {
      // §5.1: RKP forwards max_completion_tokens as max_tokens.
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], { max_completion_tokens: 300 }),
        MODEL,
      );
      expect(body.max_tokens).toBe(300);
      expect(body).not.toHaveProperty('max_completion_tokens');
    });

    it('should let max_completion_tokens win over max_tokens', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], { max_tokens: 100, max_completion_tokens: 300 }),
        MODEL,
      );
      expect(body.max_tokens).toBe(300);
    });

    it('should accept n = 1', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], { n: 1 }),
        MODEL,
      );
      expect(body).not.toHaveProperty('n');
      expect(body.messages).toHaveLength(1);
    });

    it('should reject n > 1 with a 400 on param n', () => {
      const error = thrown(() =>
        toStraicoChatRequest(request([{ role: 'user', content: 'hi' }], { n: 2 }), MODEL),
      );
      expect(error.getStatus()).toBe(400);
      expect(error.body.param).toBe('n');
      expect(error.body.type).toBe('invalid_request_error');
      expect(error.body.code).toBe('unsupported_value');
    });
  });
});

describe('toStraicoPromptV1Request', () => {
  it('should carry the tool and JSON-mode instructions into the prompt', () => {
    const body = toStraicoPromptV1Request(
      request([{ role: 'user', content: 'Weather in Paris?' }], {
        tools: [weatherTool],
        file_urls: ['https://example.com/a.csv'],
      }),
      { model: 'anthropic/claude-3-haiku:beta' },
    );
    expect(body.message).toMatch(/^system: You can call these tools/);
    expect(body.message).toContain('"get_weather"');
    expect(body.message).toMatch(/\n\nuser: Weather in Paris\?$/);
  });

  const attachments = {
    file_urls: ['https://prompt-rack.s3.amazonaws.com/api/1721329178731_space_words.csv'],
    youtube_urls: ['https://www.youtube.com/watch?v=a1B2c3D4e5F'],
  };

  it('should send models with the one model id and the single user text as message', () => {
    // §4.3 Example B request (one model instead of two).
    const body = toStraicoPromptV1Request(
      request(
        [{ role: 'user', content: 'Which key terms from the attached list appear in the video?' }],
        attachments,
      ),
      { model: 'anthropic/claude-3-haiku:beta' },
    );
    expect(body).toEqual({
      models: ['anthropic/claude-3-haiku:beta'],
      message: 'Which key terms from the attached list appear in the video?',
      ...attachments,
    });
  });

  it('should send the selector as the v1 object form with quantity 1', () => {
    // §4.1: v1 takes an object {quantity, pricing_method} (AIO, N8N, DW agree).
    const body = toStraicoPromptV1Request(request([{ role: 'user', content: 'hi' }]), {
      selector: 'balance',
    });
    expect(body.smart_llm_selector).toEqual({ quantity: 1, pricing_method: 'balance' });
    expect(body).not.toHaveProperty('models');
  });

  it('should flatten a multi-turn conversation into labelled turns', () => {
    const body = toStraicoPromptV1Request(
      request([
        { role: 'developer', content: 'Be terse.' },
        { role: 'user', content: 'Summarise the file.' },
        { role: 'assistant', content: 'It lists space words.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'And this image?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ]),
      MODEL,
    );
    expect(body.message).toBe(
      [
        'system: Be terse.',
        'user: Summarise the file.',
        'assistant: It lists space words.',
        'user: And this image?\n[image: https://example.com/a.png]',
      ].join('\n\n'),
    );
  });

  it('should keep the role label when the only message is not from the user', () => {
    const body = toStraicoPromptV1Request(request([{ role: 'system', content: 'hello' }]), MODEL);
    expect(body.message).toBe('system: hello');
  });

  it('should pass attachments, display_transcripts and sampling fields', () => {
    const body = toStraicoPromptV1Request(
      request([{ role: 'user', content: 'hi' }], {
        ...attachments,
        images: ['https://example.com/a.png'],
        display_transcripts: true,
        temperature: 0.2,
        max_completion_tokens: 64,
        replace_failed_models: true,
        top_p: 0.5,
        stream: true,
      }),
      MODEL,
    );
    expect(body).toEqual({
      models: ['meta-llama/llama-4-maverick'],
      message: 'hi',
      ...attachments,
      images: ['https://example.com/a.png'],
      display_transcripts: true,
      temperature: 0.2,
      max_tokens: 64,
      replace_failed_models: true,
    });
  });

  it('should leave out empty attachment lists', () => {
    const body = toStraicoPromptV1Request(
      request([{ role: 'user', content: 'hi' }], { file_urls: [], images: [] }),
      MODEL,
    );
    expect(Object.keys(body).sort()).toEqual(['message', 'models']);
  });

  it('should reject n > 1', () => {
    const error = thrown(() =>
      toStraicoPromptV1Request(request([{ role: 'user', content: 'hi' }], { n: 3 }), MODEL),
    );
    expect(error.body.param).toBe('n');
  });
});

describe('hasAttachments', () => {
  it.each([
    ['file_urls', { file_urls: ['https://prompt-rack.s3.amazonaws.com/api/1_a.pdf'] }, true],
    ['youtube_urls', { youtube_urls: ['https://www.youtube.com/watch?v=a1B2c3D4e5F'] }, true],
    ['images', { images: ['https://example.com/a.png'] }, true],
    ['empty lists', { file_urls: [], youtube_urls: [], images: [] }, false],
    ['no extension fields', {}, false],
    ['a non-array value', { file_urls: 'https://example.com/a.pdf' }, false],
  ])('should say %s → %s', (_label, extra, expected) => {
    expect(hasAttachments(request([{ role: 'user', content: 'hi' }], extra))).toBe(expected);
  });
});
