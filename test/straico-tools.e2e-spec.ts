import OpenAI from 'openai';

import { FakeStraicoUpstream } from './fakes/fake-straico-upstream';
import { HAIKU, StraicoGateway, startStraicoGateway, STRAICO_HAIKU } from './support/straico';

type FunctionCall = OpenAI.Chat.ChatCompletionMessageFunctionToolCall;

const ANSWER = 'Hello from Straico!';
const WEATHER_TOOL: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
/** The fake answers the text after `echo:` in the last user message. */
const TOOL_REPLY = 'echo:{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}';

describe('Straico tool calling, JSON mode and answer shapes (emulated)', () => {
  let setup: StraicoGateway;
  let straico: FakeStraicoUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    setup = await startStraicoGateway();
    ({ straico, client } = setup);
  });
  afterAll(() => setup.close());
  beforeEach(() => straico.reset());

  describe('tools', () => {
    it('should turn a tool-call JSON reply into tool_calls', async () => {
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [
          { role: 'system', content: 'You are a weather bot.' },
          { role: 'user', content: TOOL_REPLY },
        ],
        tools: [WEATHER_TOOL],
      });

      const choice = completion.choices[0];
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBeNull();
      expect(choice.message.tool_calls).toHaveLength(1);
      const call = choice.message.tool_calls![0] as FunctionCall;
      expect(call.id).toMatch(/^call_\w+$/);
      expect(call.type).toBe('function');
      expect(call.function.name).toBe('get_weather');
      expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });

      const [sent] = straico.chatRequests();
      expect(Object.keys(sent.body).sort()).toEqual(['messages', 'model']);
      expect(sent.body.tools).toBeUndefined();
      const roles = sent.body.messages.map((message: { role: string }) => message.role);
      expect(roles).toEqual(['system', 'system', 'user']);
      expect(sent.body.messages[0].content).toBe('You are a weather bot.');
      // The injected instruction follows the caller's own system message and lists the tool.
      const instruction: string = sent.body.messages[1].content;
      expect(instruction).toContain('"name":"get_weather"');
      expect(instruction).toContain('Current weather for a city');
      expect(instruction).toContain('"tool_calls"');
      expect(sent.body.messages[2]).toEqual({ role: 'user', content: TOOL_REPLY });
    });

    it('should return a reply that is not tool JSON as plain content', async () => {
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: 'Just say hello.' }],
        tools: [WEATHER_TOOL],
      });
      const choice = completion.choices[0];
      expect(choice.finish_reason).toBe('stop');
      expect(choice.message.content).toBe(ANSWER);
      expect(choice.message.tool_calls ?? []).toHaveLength(0);
      const [sent] = straico.chatRequests();
      expect(sent.body.messages).toHaveLength(2);
      expect(sent.body.messages[0].role).toBe('system');
      expect(sent.body.messages[0].content).toContain('get_weather');
    });

    it('should name a forced tool in the instruction', async () => {
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: TOOL_REPLY }],
        tools: [WEATHER_TOOL],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      });
      expect(completion.choices[0].finish_reason).toBe('tool_calls');
      const [sent] = straico.chatRequests();
      expect(sent.body.tool_choice).toBeUndefined();
      expect(sent.body.messages[0].content).toContain('You must call the tool "get_weather".');
    });

    // OpenAI semantics: with tool_choice "none" the model does not call tools, so no instruction
    // is injected and a reply that merely looks like a call stays text.
    it('should not turn a reply into tool_calls when tool_choice is none', async () => {
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: TOOL_REPLY }],
        tools: [WEATHER_TOOL],
        tool_choice: 'none',
      });
      const [sent] = straico.chatRequests();
      expect(sent.body.messages).toEqual([{ role: 'user', content: TOOL_REPLY }]);
      const choice = completion.choices[0];
      expect(choice.finish_reason).toBe('stop');
      expect(choice.message.tool_calls ?? []).toHaveLength(0);
      expect(choice.message.content).toBe(TOOL_REPLY.slice('echo:'.length));
    });

    it('should emulate tools on the v1 prompt used for attachments', async () => {
      straico.enqueue({ content: TOOL_REPLY.slice('echo:'.length) });
      const params = {
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: 'What is the weather where this file says?' }],
        tools: [WEATHER_TOOL],
        file_urls: ['https://prompt-rack.s3.amazonaws.com/api/1_city.txt'],
      } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
      const completion = await client.chat.completions.create(params);

      const choice = completion.choices[0];
      expect(choice.finish_reason).toBe('tool_calls');
      expect((choice.message.tool_calls![0] as FunctionCall).function.name).toBe('get_weather');
      const [sent] = straico.promptRequests();
      expect(sent.path).toBe('/v1/prompt/completion');
      expect(sent.body.tools).toBeUndefined();
      expect(sent.body.message).toMatch(/^system: [\s\S]*get_weather[\s\S]*\n\nuser: What is/);
    });

    it('should rewrite a follow-up with assistant tool_calls and a tool result as text', async () => {
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [
          { role: 'user', content: 'What is the weather in Paris?' },
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
          { role: 'tool', tool_call_id: 'call_abc123', content: '18 C and sunny' },
        ],
        tools: [WEATHER_TOOL],
      });

      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(completion.choices[0].message.content).toBe(ANSWER);
      const [sent] = straico.chatRequests();
      expect(sent.body.messages).toHaveLength(4);
      expect(sent.body.messages[0].role).toBe('system');
      expect(sent.body.messages.slice(1)).toEqual([
        { role: 'user', content: 'What is the weather in Paris?' },
        {
          role: 'assistant',
          content: '{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}',
        },
        { role: 'user', content: 'Tool result for call call_abc123:\n18 C and sunny' },
      ]);
    });
  });

  describe('response_format', () => {
    it('should extract the JSON object from a fenced reply in prose for json_object', async () => {
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [
          {
            role: 'user',
            content: 'echo:Sure! Here it is:\n```json\n{"a":1}\n```\nAnything else?',
          },
        ],
        response_format: { type: 'json_object' },
      });
      expect(completion.choices[0].message.content).toBe('{"a":1}');
      expect(completion.choices[0].finish_reason).toBe('stop');

      const [sent] = straico.chatRequests();
      expect(sent.body.response_format).toBeUndefined();
      expect(sent.body.messages).toHaveLength(2);
      expect(sent.body.messages[0]).toEqual({
        role: 'system',
        content: expect.stringContaining('JSON object'),
      });
    });

    it('should put the schema of json_schema into the instruction', async () => {
      const schema = { type: 'object', properties: { city: { type: 'string' } } };
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: 'echo:The answer is {"city":"Paris"}.' }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'place', schema },
        },
      });
      expect(completion.choices[0].message.content).toBe('{"city":"Paris"}');
      const [sent] = straico.chatRequests();
      expect(sent.body.messages[0].content).toContain(JSON.stringify(schema));
    });
  });

  describe('answer shapes', () => {
    it('should use the reasoning as content when the content is empty', async () => {
      straico.enqueue({ content: '', reasoning: 'thinking text' });
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: 'Think.' }],
      });
      expect(completion.choices[0].message.content).toBe('thinking text');
      expect(completion.choices[0].finish_reason).toBe('stop');
      expect(straico.chatRequests()).toHaveLength(1);
    });

    it.each([
      ['max_tokens', 'length'],
      ['length', 'length'],
      ['end_turn', 'stop'],
      ['stop', 'stop'],
    ])('should map the native finish reason %s to %s', async (native, expected) => {
      straico.enqueue({ finishReason: native });
      const completion = await client.chat.completions.create({
        model: STRAICO_HAIKU,
        messages: [{ role: 'user', content: 'Write a lot.' }],
        max_tokens: 5,
      });
      expect(completion.choices[0].finish_reason).toBe(expected);
      const [sent] = straico.chatRequests();
      expect(sent.body).toMatchObject({ model: HAIKU, max_tokens: 5 });
    });
  });
});
