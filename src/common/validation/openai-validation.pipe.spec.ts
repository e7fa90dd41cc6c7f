import 'reflect-metadata';

import { ArgumentMetadata } from '@nestjs/common';

import { ChatCompletionRequestDto } from '../../completions/dto/chat-completion-request.dto';
import { GatewayException } from '../errors/gateway.exception';
import { createOpenAiValidationPipe, OpenAiValidationPipe } from './openai-validation.pipe';

type Body = Record<string, unknown>;

const metadata: ArgumentMetadata = { type: 'body', metatype: ChatCompletionRequestDto };

function validBody(overrides: Body = {}): Body {
  return {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hello!' },
    ],
    ...overrides,
  };
}

describe('createOpenAiValidationPipe', () => {
  let pipe: OpenAiValidationPipe;

  beforeEach(() => {
    pipe = createOpenAiValidationPipe();
  });

  async function rejection(body: unknown): Promise<GatewayException> {
    const error: unknown = await pipe.transform(body, metadata).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(GatewayException);
    return error as GatewayException;
  }

  describe('valid bodies', () => {
    it('should resolve to the same object with unknown fields left intact', async () => {
      const tools = [{ type: 'function', function: { name: 'lookup', parameters: {} } }];
      const body = validBody({
        tools,
        tool_choice: 'auto',
        response_format: { type: 'json_object' },
        some_new_field: { nested: [1, 2, 3] },
        temperature: 0.7,
        stream: true,
        stream_options: { include_usage: true },
      });
      const snapshot = structuredClone(body);

      const result = (await pipe.transform(body, metadata)) as Body;

      expect(result).toBe(body);
      expect(result).toEqual(snapshot);
      expect(result.tools).toBe(tools);
      expect(result.some_new_field).toEqual({ nested: [1, 2, 3] });
      expect(result).not.toBeInstanceOf(ChatCompletionRequestDto);
    });

    it.each<[string, Body]>([
      ['a minimal body', { messages: [{ role: 'user', content: 'hi' }] }],
      [
        'boundary values',
        validBody({
          temperature: 2,
          top_p: 0,
          n: 128,
          max_tokens: 1,
          max_completion_tokens: 1,
          presence_penalty: -2,
          frequency_penalty: 2,
          top_logprobs: 20,
        }),
      ],
      ['a string stop', validBody({ stop: '\n' })],
      ['four stop sequences', validBody({ stop: ['a', 'b', 'c', 'd'] })],
      ['null optional fields', validBody({ temperature: null, stop: null, stream_options: null })],
      [
        'an assistant tool call followed by its tool answer',
        validBody({
          messages: [
            { role: 'user', content: 'Weather?' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w' } }],
            },
            { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
          ],
        }),
      ],
      [
        'content parts',
        validBody({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is this?' },
                { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
              ],
            },
          ],
        }),
      ],
    ])('should accept %s', async (_name, body) => {
      await expect(pipe.transform(body, metadata)).resolves.toBe(body);
    });
  });

  describe('invalid bodies', () => {
    it.each<[string, Body, string]>([
      ['temperature above 2', validBody({ temperature: 2.5 }), 'temperature'],
      ['temperature as a string', validBody({ temperature: '1' }), 'temperature'],
      ['top_p above 1', validBody({ top_p: 1.5 }), 'top_p'],
      ['n of zero', validBody({ n: 0 }), 'n'],
      ['n not an integer', validBody({ n: 1.5 }), 'n'],
      ['max_tokens of zero', validBody({ max_tokens: 0 }), 'max_tokens'],
      [
        'max_completion_tokens as a string',
        validBody({ max_completion_tokens: '10' }),
        'max_completion_tokens',
      ],
      ['five stop sequences', validBody({ stop: ['a', 'b', 'c', 'd', 'e'] }), 'stop'],
      ['an empty stop array', validBody({ stop: [] }), 'stop'],
      ['a numeric stop', validBody({ stop: 5 }), 'stop'],
      ['presence_penalty below -2', validBody({ presence_penalty: -3 }), 'presence_penalty'],
      ['frequency_penalty above 2', validBody({ frequency_penalty: 2.1 }), 'frequency_penalty'],
      ['stream as a string', validBody({ stream: 'true' }), 'stream'],
      ['missing messages', { model: 'gpt-4o-mini' }, 'messages'],
      ['empty messages', validBody({ messages: [] }), 'messages'],
      ['messages as a string', validBody({ messages: 'hello' }), 'messages'],
      [
        'an unknown role',
        validBody({ messages: [{ role: 'robot', content: 'hi' }] }),
        'messages[0].role',
      ],
      [
        'a user message without content',
        validBody({ messages: [{ role: 'system', content: 'x' }, { role: 'user' }] }),
        'messages[1].content',
      ],
      [
        'a user message with numeric content',
        validBody({
          messages: [
            { role: 'system', content: 'x' },
            { role: 'user', content: 7 },
          ],
        }),
        'messages[1].content',
      ],
      [
        'a tool message without tool_call_id',
        validBody({ messages: [{ role: 'tool', content: 'result' }] }),
        'messages[0].tool_call_id',
      ],
      [
        'a numeric tool_call_id on another role',
        validBody({ messages: [{ role: 'user', content: 'hi', tool_call_id: 3 }] }),
        'messages[0].tool_call_id',
      ],
      [
        'stream_options.include_usage as a string',
        validBody({ stream: true, stream_options: { include_usage: 'yes' } }),
        'stream_options.include_usage',
      ],
      ['response_format as a string', validBody({ response_format: 'json' }), 'response_format'],
      ['tools as an object', validBody({ tools: { type: 'function' } }), 'tools'],
      ['model as a number', validBody({ model: 4 }), 'model'],
    ])('should reject %s with param %p', async (_name, body, param) => {
      const error = await rejection(body);
      expect(error.getStatus()).toBe(400);
      expect(error.body.type).toBe('invalid_request_error');
      expect(error.body.param).toBe(param);
      expect(error.body.code).toBe('invalid_value');
      expect(error.body.message).toMatch(new RegExp(`^Invalid '${escapeRegExp(param)}': .+`));
    });

    it('should name the role problem in the message', async () => {
      const error = await rejection(validBody({ messages: [{ role: 'robot', content: 'hi' }] }));
      expect(error.body.message).toBe(
        "Invalid 'messages[0].role': role must be one of system, developer, user, assistant, tool, function",
      );
    });

    it('should name the content problem in the message', async () => {
      const error = await rejection(
        validBody({ messages: [{ role: 'user', content: [{ type: 'text' }] }] }),
      );
      expect(error.body.param).toBe('messages[0].content');
      expect(error.body.message).toBe(
        "Invalid 'messages[0].content': content[0]: a text part needs a string `text`",
      );
    });

    it('should report the first invalid field when several are wrong', async () => {
      const error = await rejection(validBody({ temperature: 9, top_p: 9 }));
      expect(error.body.param).toBe('temperature');
    });

    it('should answer 400 for a content part whose type is "valueOf"', async () => {
      const error = await rejection(
        validBody({ messages: [{ role: 'user', content: [{ type: 'valueOf' }] }] }),
      );
      expect(error.getStatus()).toBe(400);
      expect(error.body.param).toBe('messages[0].content');
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
