import {
  STRAICO_MODEL as MODEL,
  straicoRequest as request,
  systemTexts,
  weatherTool,
} from '../testing/straico-request.fixtures';
import { toStraicoChatRequest } from './straico-request.mapper';

describe('toStraicoChatRequest', () => {
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
