import { ChatMessage } from '../chat.types';
import {
  STRAICO_MODEL as MODEL,
  straicoRequest as request,
} from '../testing/straico-request.fixtures';
import { thrownGatewayException as thrown } from '../testing/thrown-gateway-exception';
import { toStraicoChatRequest } from './straico-request.mapper';

describe('toStraicoChatRequest', () => {
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
});
