import { GatewayException } from '../../common/errors/gateway.exception';
import { ChatCompletionRequest, ChatMessage } from '../chat.types';
import {
  hasAttachments,
  toStraicoChatRequest,
  toStraicoPromptV1Request,
} from './straico-request.mapper';

const MODEL = { model: 'meta-llama/llama-4-maverick' } as const;

function request(
  messages: ChatMessage[],
  extra: Partial<ChatCompletionRequest> = {},
): ChatCompletionRequest {
  return { model: 'straico/meta-llama/llama-4-maverick', messages, ...extra };
}

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    },
  },
};

function thrown(action: () => unknown): GatewayException {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayException);
    return error as GatewayException;
  }
  throw new Error('expected a GatewayException');
}

function systemTexts(messages: Array<{ role: string; content: unknown }>): string[] {
  return messages.filter((m) => m.role === 'system').map((m) => m.content as string);
}

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

  describe('messages', () => {
    it('should map the V2-DOC example conversation unchanged', () => {
      // §5.3 Example C request.
      const messages: ChatMessage[] = [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'solve for x => 10x - 4x = 0' },
            { type: 'image_url', image_url: { url: 'https://example.com/logo.png' } },
          ],
        },
        { role: 'assistant', content: 'x = 0' },
        { role: 'user', content: [{ type: 'text', text: 'How much is x times 2' }] },
      ];
      const body = toStraicoChatRequest(
        request(messages, { temperature: 0.7, max_tokens: 150 }),
        MODEL,
      );
      expect(body).toEqual({
        model: 'meta-llama/llama-4-maverick',
        messages,
        temperature: 0.7,
        max_tokens: 150,
      });
    });

    it('should turn developer messages into system messages', () => {
      // §14.8: whether v2 chat accepts `developer` is unverified, so it is rewritten.
      const body = toStraicoChatRequest(
        request([
          { role: 'developer', content: 'Be terse.' },
          { role: 'user', content: 'hi' },
        ]),
        MODEL,
      );
      expect(body.messages[0]).toEqual({ role: 'system', content: 'Be terse.' });
    });

    it('should drop the message name', () => {
      const body = toStraicoChatRequest(
        request([
          { role: 'system', content: 'sys', name: 'boss' },
          { role: 'user', content: 'hi', name: 'alice' },
          { role: 'assistant', content: 'hello', name: 'bot' },
        ]),
        MODEL,
      );
      expect(body.messages).toEqual([
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ]);
    });

    it('should keep text and image_url parts and drop the image detail', () => {
      const body = toStraicoChatRequest(
        request([
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              {
                type: 'image_url',
                image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' },
              },
            ],
          },
        ]),
        MODEL,
      );
      expect(body.messages[0].content).toEqual([
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ]);
    });

    it.each([
      ['input_audio', { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }],
      ['file', { type: 'file', file: { file_id: 'file-123' } }],
    ])('should reject a %s part with a 400 naming messages[i].content[j]', (_type, part) => {
      const error = thrown(() =>
        toStraicoChatRequest(
          request([
            { role: 'system', content: 'sys' },
            { role: 'user', content: [{ type: 'text', text: 'listen' }, part] },
          ]),
          MODEL,
        ),
      );
      expect(error.getStatus()).toBe(400);
      expect(error.body.param).toBe('messages[1].content[1]');
      expect(error.body.code).toBe('unsupported_content');
      expect(error.body.message).toContain(part.type);
    });

    it('should reject an unknown role with a 400 naming the message', () => {
      const error = thrown(() =>
        toStraicoChatRequest(request([{ role: 'narrator', content: 'x' }]), MODEL),
      );
      expect(error.getStatus()).toBe(400);
      expect(error.body.param).toBe('messages[0].role');
    });

    it('should rewrite a tool message as a user message naming the call', () => {
      // §5.1 / §10: the `tool` role is not supported; proxies rewrite results as user text.
      const body = toStraicoChatRequest(
        request([
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'tool', tool_call_id: 'call_abc123', content: '{"temp":21}' },
        ]),
        MODEL,
      );
      expect(body.messages[1]).toEqual({
        role: 'user',
        content: 'Tool result for call call_abc123:\n{"temp":21}',
      });
    });

    it('should join text parts of a tool message', () => {
      const body = toStraicoChatRequest(
        request([
          {
            role: 'tool',
            tool_call_id: 'call_1',
            content: [
              { type: 'text', text: 'line one' },
              { type: 'text', text: 'line two' },
            ],
          },
        ]),
        MODEL,
      );
      expect(body.messages[0].content).toBe('Tool result for call call_1:\nline one\nline two');
    });

    it('should replay an assistant tool call with null content as the JSON the model was asked for', () => {
      const body = toStraicoChatRequest(
        request([
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_abc123',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
        ]),
        MODEL,
      );
      expect(body.messages[1].role).toBe('assistant');
      const replay = body.messages[1].content as string;
      expect(JSON.parse(replay)).toEqual({
        tool_calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      });
    });

    it('should put the replay after assistant text and keep unparsable arguments as a string', () => {
      const body = toStraicoChatRequest(
        request([
          {
            role: 'assistant',
            content: 'Let me check.',
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'a', arguments: 'not json' } },
              { id: 'c2', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
            ],
          },
        ]),
        MODEL,
      );
      const [text, replay] = (body.messages[0].content as string).split('\n');
      expect(text).toBe('Let me check.');
      expect(JSON.parse(replay)).toEqual({
        tool_calls: [
          { name: 'a', arguments: 'not json' },
          { name: 'b', arguments: { x: 1 } },
        ],
      });
    });
  });

  describe('tool and JSON-mode instructions', () => {
    it('should insert one system message with the tools after the leading system messages', () => {
      const body = toStraicoChatRequest(
        request(
          [
            { role: 'system', content: 'You are helpful.' },
            { role: 'developer', content: 'Be terse.' },
            { role: 'user', content: 'Weather in Paris?' },
            { role: 'system', content: 'late system note' },
          ],
          { tools: [weatherTool] },
        ),
        MODEL,
      );
      expect(body.messages.map((m) => m.role)).toEqual([
        'system',
        'system',
        'system',
        'user',
        'system',
      ]);
      expect(body.messages[0].content).toBe('You are helpful.');
      expect(body.messages[1].content).toBe('Be terse.');
      const instruction = body.messages[2].content as string;
      expect(instruction).toContain(
        JSON.stringify([
          {
            name: 'get_weather',
            description: 'Current weather for a city',
            parameters: weatherTool.function.parameters,
          },
        ]),
      );
      expect(instruction).toContain('reply with ONLY this JSON');
      expect(instruction).toContain('{"tool_calls":[{"name":"<tool name>"');
      expect(instruction).toContain('Call a tool only when it is needed');
      expect(body.messages[4].content).toBe('late system note');
    });

    it('should put the instruction first when the conversation has no system message', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], { tools: [weatherTool] }),
        MODEL,
      );
      expect(body.messages).toHaveLength(2);
      expect(body.messages[0].role).toBe('system');
      expect(body.messages[0].content).toContain('get_weather');
      expect(body.messages[1]).toEqual({ role: 'user', content: 'hi' });
    });

    it('should append the instruction when every message is a system message', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'system', content: 'only system' }], { tools: [weatherTool] }),
        MODEL,
      );
      expect(body.messages).toHaveLength(2);
      expect(body.messages[1].content).toContain('get_weather');
    });

    it('should add no instruction when tool_choice is none', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], { tools: [weatherTool], tool_choice: 'none' }),
        MODEL,
      );
      expect(body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    });

    it('should say a tool must be called when tool_choice is required', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], {
          tools: [weatherTool],
          tool_choice: 'required',
        }),
        MODEL,
      );
      expect(body.messages[0].content).toContain('You must call at least one tool.');
    });

    it('should name the forced function', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], {
          tools: [weatherTool],
          tool_choice: { type: 'function', function: { name: 'get_weather' } },
        }),
        MODEL,
      );
      expect(body.messages[0].content).toContain('You must call the tool "get_weather".');
      expect(body.messages[0].content).not.toContain('at least one tool');
    });

    it('should ignore non-function tools', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], {
          tools: [{ type: 'custom', custom: { name: 'grammar' } }],
        }),
        MODEL,
      );
      expect(body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    });

    it('should ask for a JSON object for response_format json_object', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'List colours' }], {
          response_format: { type: 'json_object' },
        }),
        MODEL,
      );
      expect(systemTexts(body.messages)).toEqual([
        'Respond with one valid JSON object only: no prose, no code fences.',
      ]);
    });

    it('should include the schema for response_format json_schema', () => {
      const schema = {
        type: 'object',
        properties: { colours: { type: 'array', items: { type: 'string' } } },
        required: ['colours'],
      };
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'List colours' }], {
          response_format: { type: 'json_schema', json_schema: { name: 'colours', schema } },
        }),
        MODEL,
      );
      const [instruction] = systemTexts(body.messages);
      expect(instruction).toContain('conforms to this JSON Schema');
      expect(instruction).toContain(JSON.stringify(schema));
    });

    it('should add nothing for response_format text', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], { response_format: { type: 'text' } }),
        MODEL,
      );
      expect(body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    });

    it('should combine tool and JSON instructions in one system message', () => {
      const body = toStraicoChatRequest(
        request([{ role: 'user', content: 'hi' }], {
          tools: [weatherTool],
          response_format: { type: 'json_object' },
        }),
        MODEL,
      );
      expect(body.messages).toHaveLength(2);
      const instruction = body.messages[0].content as string;
      expect(instruction).toContain('get_weather');
      expect(instruction).toContain('Respond with one valid JSON object only');
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
