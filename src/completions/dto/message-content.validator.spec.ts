import { contentProblem } from './message-content.validator';

type Message = Record<string, unknown>;

const user: Message = { role: 'user' };
const assistant: Message = { role: 'assistant' };

describe('contentProblem', () => {
  describe('valid content', () => {
    it.each<[string, unknown, Message]>([
      ['a string', 'Hello!', user],
      ['an empty string', '', user],
      ['a text part', [{ type: 'text', text: 'Describe this' }], user],
      [
        'an image_url part',
        [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } }],
        user,
      ],
      [
        'an input_audio part',
        [{ type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } }],
        user,
      ],
      ['a file part', [{ type: 'file', file: { file_id: 'file-abc' } }], user],
      ['a refusal part', [{ type: 'refusal', refusal: 'I cannot help with that.' }], assistant],
      [
        'several parts of different types',
        [
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
        user,
      ],
      [
        'null for an assistant message with tool_calls',
        null,
        { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function' }] },
      ],
      [
        'undefined for an assistant message with tool_calls',
        undefined,
        { role: 'assistant', tool_calls: [] },
      ],
      [
        'undefined for an assistant message with a legacy function_call',
        undefined,
        { role: 'assistant', function_call: { name: 'f', arguments: '{}' } },
      ],
      ['plain null for an assistant message', null, assistant],
      ['a string for a tool message', '{"ok":true}', { role: 'tool', tool_call_id: 'call_1' }],
    ])('should accept %s', (_name, content, message) => {
      expect(contentProblem(content, { ...message, content })).toBeNull();
    });
  });

  describe('invalid content', () => {
    it.each<[string, unknown, Message, string | RegExp]>([
      ['null for a user message', null, user, /content is required/],
      ['undefined for a user message', undefined, user, /content is required/],
      ['null for a system message', null, { role: 'system' }, /content is required/],
      ['null for a tool message', null, { role: 'tool', tool_call_id: 'call_1' }, /required/],
      [
        'undefined for an assistant message without tool_calls',
        undefined,
        assistant,
        /content is required/,
      ],
      [
        'null for a user message that carries tool_calls',
        null,
        { role: 'user', tool_calls: [] },
        /content is required/,
      ],
      ['a number', 42, user, 'content must be a string or an array of content parts'],
      ['an object', { type: 'text', text: 'x' }, user, /must be a string or an array/],
      ['a boolean', true, user, /must be a string or an array/],
      [
        'a string inside the parts array',
        ['hello'],
        user,
        'content[0] must be an object with a string `type`',
      ],
      [
        'null inside the parts array',
        [null],
        user,
        'content[0] must be an object with a string `type`',
      ],
      [
        'a part without type',
        [{ text: 'x' }],
        user,
        'content[0] must be an object with a string `type`',
      ],
      ['a part with a numeric type', [{ type: 1 }], user, /content\[0\] must be an object/],
      [
        'an unknown part type',
        [{ type: 'video_url', video_url: { url: 'x' } }],
        user,
        'content[0].type `video_url` is not a known content part type',
      ],
      [
        'a text part without text',
        [{ type: 'text' }],
        user,
        'content[0]: a text part needs a string `text`',
      ],
      ['a text part with a number', [{ type: 'text', text: 5 }], user, /a text part needs/],
      [
        'an image_url part without image_url',
        [{ type: 'image_url' }],
        user,
        'content[0]: an image_url part needs `image_url.url` as a string',
      ],
      [
        'an image_url part with a string image_url',
        [{ type: 'image_url', image_url: 'https://example.com/cat.png' }],
        user,
        /an image_url part needs/,
      ],
      [
        'an input_audio part without format',
        [{ type: 'input_audio', input_audio: { data: 'AAAA' } }],
        user,
        'content[0]: an input_audio part needs `input_audio.data` and `input_audio.format`',
      ],
      [
        'an input_audio part without data',
        [{ type: 'input_audio', input_audio: { format: 'mp3' } }],
        user,
        /an input_audio part needs/,
      ],
      [
        'a file part without file',
        [{ type: 'file' }],
        user,
        'content[0]: a file part needs a `file` object',
      ],
      [
        'a file part with a string file',
        [{ type: 'file', file: 'file-abc' }],
        user,
        /a file part needs/,
      ],
      [
        'a refusal part without refusal',
        [{ type: 'refusal' }],
        assistant,
        'content[0]: a refusal part needs a string `refusal`',
      ],
      [
        'a bad part after a good one, naming its index',
        [
          { type: 'text', text: 'ok' },
          { type: 'text', text: null },
        ],
        user,
        'content[1]: a text part needs a string `text`',
      ],
    ])('should reject %s', (_name, content, message, expected) => {
      const problem = contentProblem(content, { ...message, content });
      expect(problem).not.toBeNull();
      if (typeof expected === 'string') {
        expect(problem).toBe(expected);
      } else {
        expect(problem).toMatch(expected);
      }
    });

    it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])(
      'should reject a part whose type %p is an Object.prototype member as an unknown type',
      (type) => {
        const content = [{ type }];
        expect(contentProblem(content, { role: 'user', content })).toBe(
          `content[0].type \`${type}\` is not a known content part type`,
        );
      },
    );
  });
});
