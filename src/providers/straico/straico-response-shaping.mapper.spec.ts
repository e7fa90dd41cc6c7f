import { v2ChatReply } from './__fixtures__/straico-responses';
import { shaping, straicoTools as tools } from '../testing/straico-response.fixtures';
import { fromStraicoChatResponse } from './straico-response.mapper';

describe('fromStraicoChatResponse', () => {
  describe('emulated tool calls', () => {
    const callJson = '{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}';

    it.each([
      ['plain JSON', callJson],
      ['a ```json fence', '```json\n' + callJson + '\n```'],
      ['prose around it', 'Sure, let me look that up.\n' + callJson + '\nOne moment.'],
    ])('should read a tool call written as %s', (_label, reply) => {
      const answer = fromStraicoChatResponse(
        v2ChatReply(reply, { finish_reason: 'end_turn' }),
        shaping({ tools }),
      );
      const choice = answer.completion.choices[0];
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBeNull();
      expect(choice.message.tool_calls).toEqual([
        {
          id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ]);
    });

    it('should give several calls distinct ids', () => {
      const answer = fromStraicoChatResponse(
        v2ChatReply(
          '{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}},' +
            '{"name":"get_time","arguments":{}}]}',
        ),
        shaping({ tools }),
      );
      const calls = answer.completion.choices[0].message.tool_calls as Array<{
        id: string;
        function: { name: string; arguments: string };
      }>;
      expect(calls.map((call) => call.function.name)).toEqual(['get_weather', 'get_time']);
      expect(calls[1].function.arguments).toBe('{}');
      expect(calls[0].id).not.toBe(calls[1].id);
    });

    it('should return plain content when the reply names an unknown tool', () => {
      const reply = '{"tool_calls":[{"name":"delete_everything","arguments":{}}]}';
      const answer = fromStraicoChatResponse(v2ChatReply(reply), shaping({ tools }));
      const choice = answer.completion.choices[0];
      expect(choice.message.content).toBe(reply);
      expect(choice.message).not.toHaveProperty('tool_calls');
      expect(choice.finish_reason).toBe('stop');
    });

    it('should return plain content when the reply is not JSON', () => {
      const answer = fromStraicoChatResponse(
        v2ChatReply('It is sunny in Paris.'),
        shaping({ tools }),
      );
      const choice = answer.completion.choices[0];
      expect(choice.message.content).toBe('It is sunny in Paris.');
      expect(choice.message).not.toHaveProperty('tool_calls');
      expect(choice.finish_reason).toBe('stop');
    });

    it('should not read tool calls when the request had no tools', () => {
      const answer = fromStraicoChatResponse(v2ChatReply(callJson), shaping());
      expect(answer.completion.choices[0].message.content).toBe(callJson);
      expect(answer.completion.choices[0].finish_reason).toBe('stop');
    });

    it('should read a tool call a reasoning model wrote only into reasoning', () => {
      const answer = fromStraicoChatResponse(
        v2ChatReply('', { reasoning: callJson }),
        shaping({ tools }),
      );
      expect(answer.completion.choices[0].finish_reason).toBe('tool_calls');
      expect(answer.completion.choices[0].message.content).toBeNull();
    });
  });

  describe('JSON mode', () => {
    it.each([
      ['a ```json fence', 'Here you go:\n```json\n{"colours": ["red", "blue"]}\n```'],
      ['prose around it', 'Sure! {"colours": ["red", "blue"]} Hope that helps.'],
      ['plain JSON with spacing', '  {"colours": ["red", "blue"]}\n'],
    ])('should extract the JSON from %s', (_label, reply) => {
      const answer = fromStraicoChatResponse(v2ChatReply(reply), shaping({ wantsJson: true }));
      expect(answer.completion.choices[0].message.content).toBe('{"colours":["red","blue"]}');
    });

    it('should keep the reply as it is when it holds no JSON', () => {
      const answer = fromStraicoChatResponse(
        v2ChatReply('I cannot answer that.'),
        shaping({ wantsJson: true }),
      );
      expect(answer.completion.choices[0].message.content).toBe('I cannot answer that.');
    });

    it('should leave fenced JSON alone when JSON was not asked for', () => {
      const reply = '```json\n{"a": 1}\n```';
      const answer = fromStraicoChatResponse(v2ChatReply(reply), shaping());
      expect(answer.completion.choices[0].message.content).toBe(reply);
    });
  });
});
