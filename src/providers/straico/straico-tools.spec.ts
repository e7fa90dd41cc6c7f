import {
  extractJson,
  functionTools,
  parseToolCalls,
  responseFormatInstruction,
  ToolDefinition,
  toolInstruction,
} from './straico-tools';

// §1 / §10: Straico has no native tools or JSON mode; both are emulated by instruction.

const weather: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const time: ToolDefinition = { name: 'get_time', description: undefined, parameters: undefined };

describe('functionTools', () => {
  it('should keep name, description and parameters of function tools', () => {
    expect(
      functionTools([
        { type: 'function', function: { ...weather, strict: true } },
        { type: 'function', function: { name: 'get_time' } },
      ]),
    ).toEqual([weather, time]);
  });

  it('should skip other tool kinds and malformed entries', () => {
    expect(
      functionTools([
        { type: 'custom', custom: { name: 'grammar' } },
        { type: 'function', function: { description: 'no name' } },
        { type: 'function' },
        null,
        'get_weather',
      ]),
    ).toEqual([]);
  });

  it.each([undefined, null, 'tools', { type: 'function' }])(
    'should return no tools for %p',
    (tools) => {
      expect(functionTools(tools)).toEqual([]);
    },
  );
});

describe('toolInstruction', () => {
  it('should list the tools as JSON and show the reply format', () => {
    const text = toolInstruction([weather], undefined)!;
    expect(text).toContain(JSON.stringify([weather]));
    expect(text).toContain('Call a tool only when it is needed to answer');
    expect(text).toContain(
      '{"tool_calls":[{"name":"<tool name>","arguments":{<arguments as a JSON object>}}]}',
    );
  });

  it('should be null without tools', () => {
    expect(toolInstruction([], 'required')).toBeNull();
  });

  it('should be null when tool_choice is none', () => {
    expect(toolInstruction([weather], 'none')).toBeNull();
  });

  it('should treat auto as optional', () => {
    expect(toolInstruction([weather], 'auto')).toContain('Call a tool only when it is needed');
  });

  it('should demand a call when tool_choice is required', () => {
    const text = toolInstruction([weather, time], 'required')!;
    expect(text).toContain('You must call at least one tool.');
    expect(text).not.toContain('only when it is needed');
  });

  it('should name the forced function', () => {
    const text = toolInstruction([weather, time], {
      type: 'function',
      function: { name: 'get_time' },
    })!;
    expect(text).toContain('You must call the tool "get_time".');
  });
});

describe('parseToolCalls', () => {
  it('should read the format the instruction asks for', () => {
    const calls = parseToolCalls(
      '{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}',
      [weather],
    );
    expect(calls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ]);
  });

  it('should read the OpenAI-like form and keep string arguments as they are', () => {
    // §10: OSAP asks models for `{"tool_calls":[{"type":"function","function":{...}}]}` with
    // arguments as a JSON string; models trained on OpenAI output tend to write this form.
    const calls = parseToolCalls(
      '```json\n{"tool_calls":[{"type":"function","function":{"name":"get_weather","arguments":"{\\"city\\": \\"Paris\\"}"}}]}\n```',
      [weather],
    );
    expect(calls).toHaveLength(1);
    expect(calls![0].function).toEqual({
      name: 'get_weather',
      arguments: '{"city": "Paris"}',
    });
  });

  it('should use {} when a call has no arguments', () => {
    const calls = parseToolCalls('{"tool_calls":[{"name":"get_time"}]}', [time]);
    expect(calls![0].function.arguments).toBe('{}');
  });

  it('should read a call surrounded by prose', () => {
    const calls = parseToolCalls(
      'I will check.\n{"tool_calls":[{"name":"get_time","arguments":{}}]}\nDone.',
      [weather, time],
    );
    expect(calls!.map((call) => call.function.name)).toEqual(['get_time']);
  });

  it('should give each call a fresh id', () => {
    const reply = '{"tool_calls":[{"name":"get_time"},{"name":"get_time"}]}';
    const [first, second] = parseToolCalls(reply, [time])!;
    expect(first.id).not.toBe(second.id);
  });

  it.each([
    ['plain text', 'It is sunny.'],
    ['JSON without tool_calls', '{"answer": 42}'],
    ['an empty tool_calls list', '{"tool_calls": []}'],
    ['tool_calls that is not a list', '{"tool_calls": {"name": "get_time"}}'],
    ['an unknown tool', '{"tool_calls":[{"name":"rm_rf","arguments":{}}]}'],
    ['a call without a name', '{"tool_calls":[{"arguments":{}}]}'],
    ['a known and an unknown tool', '{"tool_calls":[{"name":"get_time"},{"name":"nope"}]}'],
    ['broken JSON', '{"tool_calls":[{"name":"get_time",'],
  ])('should return null for %s', (_label, reply) => {
    expect(parseToolCalls(reply, [weather, time])).toBeNull();
  });
});

describe('responseFormatInstruction', () => {
  it('should ask for a JSON object for json_object', () => {
    expect(responseFormatInstruction({ type: 'json_object' })).toBe(
      'Respond with one valid JSON object only: no prose, no code fences.',
    );
  });

  it('should include the schema for json_schema', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } } };
    const text = responseFormatInstruction({
      type: 'json_schema',
      json_schema: { name: 'n', strict: true, schema },
    })!;
    expect(text).toContain('conforms to this JSON Schema');
    expect(text.endsWith(JSON.stringify(schema))).toBe(true);
  });

  it('should use an empty schema when json_schema has none', () => {
    expect(responseFormatInstruction({ type: 'json_schema', json_schema: { name: 'x' } })).toMatch(
      /JSON Schema:\n\{\}$/,
    );
  });

  it.each([undefined, null, { type: 'text' }, 'json_object'])('should be null for %p', (format) => {
    expect(responseFormatInstruction(format)).toBeNull();
  });
});

describe('extractJson', () => {
  it.each([
    ['plain JSON', '{"a": 1}', '{"a":1}'],
    ['a ```json fence', 'Result:\n```json\n{"a": [1, 2]}\n```\nBye', '{"a":[1,2]}'],
    ['a bare ``` fence', '```\n{"a": true}\n```', '{"a":true}'],
    ['an object in prose', 'The data is {"a": {"b": null}} as requested.', '{"a":{"b":null}}'],
    ['an array in prose', 'Colours: ["red", "blue"].', '["red","blue"]'],
    ['a top-level array', '[{"a": 1}]', '[{"a":1}]'],
  ])('should extract JSON from %s', (_label, reply, expected) => {
    expect(extractJson(reply)).toBe(expected);
  });

  it.each([
    ['prose', 'No JSON here.'],
    ['a JSON string', '"just a string"'],
    ['a JSON number', '42'],
    ['broken JSON', '{"a": '],
    ['an empty reply', ''],
  ])('should return null for %s', (_label, reply) => {
    expect(extractJson(reply)).toBeNull();
  });
});
