import {
  endTurnResponse,
  v1OneModelFailedResponse,
  v1TwoModelsResponse,
  v2ChatReply,
  v2ChatResponse,
  v2SmartSelectorResponse,
} from './__fixtures__/straico-responses';
import {
  AnswerShaping,
  fromStraicoChatResponse,
  fromStraicoPromptV1Response,
  normaliseFinishReason,
} from './straico-response.mapper';
import { ToolDefinition } from './straico-tools';

const tools: ToolDefinition[] = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
  { name: 'get_time', parameters: { type: 'object', properties: {} } },
];

function shaping(overrides: Partial<AnswerShaping> = {}): AnswerShaping {
  return {
    tools: [],
    wantsJson: false,
    requestedModel: 'straico/meta-llama/llama-4-maverick',
    ...overrides,
  };
}

describe('normaliseFinishReason', () => {
  // §7: provider-native values pass through Straico; clients map them (PP, RKC).
  it.each([
    ['stop', 'stop'],
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['length', 'length'],
    ['max_tokens', 'length'],
    ['model_length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['something_new', 'stop'],
  ])('should map %s to %s', (native, expected) => {
    expect(normaliseFinishReason(native)).toBe(expected);
  });

  it('should map a missing finish reason to stop', () => {
    expect(normaliseFinishReason(null)).toBe('stop');
    expect(normaliseFinishReason(undefined)).toBe('stop');
  });
});

describe('fromStraicoChatResponse', () => {
  it('should map the v2 example answer to an OpenAI chat.completion', () => {
    // §5.3 Example C: its exact extras are UNCERTAIN (no verbatim sample).
    const answer = fromStraicoChatResponse(v2ChatResponse(), shaping());
    expect(answer.completion).toEqual({
      id: 'gen-1750000000-XyZ',
      object: 'chat.completion',
      created: 1750000000,
      model: 'meta-llama/llama-4-maverick',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'x times 2 is 0.', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 58,
        completion_tokens: 7,
        total_tokens: 65,
        straico: {
          coins: 0.22,
          price: { input: 0.2, output: 0.02, total: 0.22 },
          words: { input: 40, output: 4, total: 44 },
        },
      },
    });
    expect(answer.coins).toBe(0.22);
    expect(answer.selectionReason).toBeUndefined();
  });

  it('should keep the chosen model and return the justification for a smart-selector answer', () => {
    // §3.3 Example A, delivered as a v2 chat body.
    const answer = fromStraicoChatResponse(
      v2SmartSelectorResponse(),
      shaping({ requestedModel: 'auto' }),
    );
    expect(answer.completion.model).toBe('openai/o4-mini');
    expect(answer.completion.id).toBe('gen-1746900000-AbCdEf');
    expect(answer.completion.created).toBe(1746900000);
    expect(answer.completion.choices[0].message.content).toBe('# Recycling tips\n1. ...');
    expect(answer.completion.choices[0].message).not.toHaveProperty('reasoning');
    expect(answer.completion.usage).toMatchObject({
      prompt_tokens: 22,
      completion_tokens: 1005,
      total_tokens: 1027,
      straico: { coins: 7.52, words: { input: 15, output: 487, total: 502 } },
    });
    expect(answer.coins).toBe(7.52);
    expect(answer.selectionReason).toBe('Chose openai/o4-mini because ...');
  });

  it('should normalise the Anthropic end_turn finish reason to stop', () => {
    // §3.3: PM-EXPORT plain-model example passes `end_turn` through.
    const answer = fromStraicoChatResponse(endTurnResponse(), shaping());
    expect(answer.completion.choices[0].finish_reason).toBe('stop');
    expect(answer.coins).toBe(3.18);
    expect(answer.completion.usage?.total_tokens).toBe(441);
  });

  it.each(['max_tokens', 'model_length', 'length'])(
    'should report %s as length',
    (finishReason) => {
      const answer = fromStraicoChatResponse(
        v2ChatReply('cut off mid', { finish_reason: finishReason }),
        shaping(),
      );
      expect(answer.completion.choices[0].finish_reason).toBe('length');
    },
  );

  it('should report an unknown finish reason as stop', () => {
    const answer = fromStraicoChatResponse(
      v2ChatReply('ok', { finish_reason: 'weird_reason' }),
      shaping(),
    );
    expect(answer.completion.choices[0].finish_reason).toBe('stop');
  });

  it('should keep content_filter', () => {
    const answer = fromStraicoChatResponse(
      v2ChatReply('', { finish_reason: 'content_filter' }),
      shaping(),
    );
    expect(answer.completion.choices[0].finish_reason).toBe('content_filter');
    expect(answer.completion.choices[0].message.content).toBe('');
  });

  it.each([
    ['an empty string', ''],
    ['null', null],
  ])(
    'should fall back to the reasoning text when content is %s and keep reasoning',
    (_label, content) => {
      // §7: reasoning models may leave content empty and put text in `reasoning` (V0-DOC field,
      // an unnamed client falls back to it).
      const answer = fromStraicoChatResponse(
        v2ChatReply(content, { reasoning: 'The answer is 42.' }),
        shaping(),
      );
      expect(answer.completion.choices[0].message).toEqual({
        role: 'assistant',
        content: 'The answer is 42.',
        refusal: null,
        reasoning: 'The answer is 42.',
      });
    },
  );

  it('should fill defaults when Straico leaves fields out', () => {
    const before = Math.floor(Date.now() / 1000);
    const answer = fromStraicoChatResponse({}, shaping());
    const after = Math.floor(Date.now() / 1000);
    const { completion } = answer;
    expect(completion.id).toMatch(/^chatcmpl-[0-9a-f-]{36}$/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.created).toBeGreaterThanOrEqual(before);
    expect(completion.created).toBeLessThanOrEqual(after);
    expect(completion.model).toBe('straico/meta-llama/llama-4-maverick');
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    expect(completion.usage).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      straico: { coins: null, price: null, words: null },
    });
    expect(answer.coins).toBeUndefined();
  });

  it('should generate a different id for each answer without one', () => {
    const first = fromStraicoChatResponse({}, shaping()).completion.id;
    const second = fromStraicoChatResponse({}, shaping()).completion.id;
    expect(first).not.toBe(second);
  });

  it('should compute total_tokens when only prompt and completion tokens are given', () => {
    const answer = fromStraicoChatResponse(
      v2ChatResponse({ usage: { prompt_tokens: 10, completion_tokens: 5 } }),
      shaping(),
    );
    expect(answer.completion.usage).toMatchObject({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
    });
  });

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

describe('normaliseFinishReason edge cases', () => {
  it.each(['', 'toString', 'constructor', '__proto__'])('should map %p to stop', (native) => {
    expect(normaliseFinishReason(native)).toBe('stop');
  });
});

describe('fromStraicoPromptV1Response', () => {
  it("should fail with Straico's reason when every model failed", () => {
    const body = { data: { completions: { 'a/b': { completion: { error: 'model is down' } } } } };
    expect(() => fromStraicoPromptV1Response(body, shaping())).toThrow(
      'Straico failed: model is down',
    );
  });

  it('should turn each entry of the completions map into a choice', () => {
    // §4.3 Example B.
    const answer = fromStraicoPromptV1Response(v1TwoModelsResponse(), shaping());
    const { completion } = answer;
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toBe('gen-AAAA');
    expect(completion.model).toBe('anthropic/claude-3-haiku:beta');
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'universe, cosmos, ...', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
      {
        index: 1,
        message: { role: 'assistant', content: 'universe, existence, ...', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
  });

  it('should sum token usage over models and report the overall price and words', () => {
    const answer = fromStraicoPromptV1Response(v1TwoModelsResponse(), shaping());
    expect(answer.completion.usage).toEqual({
      prompt_tokens: 11122 + 10364,
      completion_tokens: 136 + 40,
      total_tokens: 11258 + 10404,
      straico: {
        coins: 115.61,
        price: { input: 114.36, output: 1.25, total: 115.61 },
        words: { input: 11436, output: 125, total: 11561 },
      },
    });
    expect(answer.coins).toBe(115.61);
  });

  it('should skip entries whose completion is an error', () => {
    // §4.2/§8: one model failing leaves `completion: {error}` in an otherwise 201 answer.
    const answer = fromStraicoPromptV1Response(v1OneModelFailedResponse(), shaping());
    expect(answer.completion.choices).toHaveLength(1);
    expect(answer.completion.choices[0].index).toBe(0);
    expect(answer.completion.choices[0].message.content).toBe('universe, existence, ...');
    expect(answer.completion.model).toBe('gpt-3.5-turbo-0125');
    expect(answer.completion.usage).toMatchObject({
      prompt_tokens: 10364,
      completion_tokens: 40,
      total_tokens: 10404,
    });
  });

  it('should use the map key as model when the completion does not name one', () => {
    const body = v1TwoModelsResponse();
    delete body.data!.completions!['anthropic/claude-3-haiku:beta'].completion!.model;
    const answer = fromStraicoPromptV1Response(body, shaping());
    expect(answer.completion.model).toBe('anthropic/claude-3-haiku:beta');
  });

  it('should return the smart selector justification', () => {
    const body = v1TwoModelsResponse();
    body.data!.model_selector_justification = 'Picked the cheapest capable models.';
    const answer = fromStraicoPromptV1Response(body, shaping({ requestedModel: 'auto' }));
    expect(answer.selectionReason).toBe('Picked the cheapest capable models.');
  });

  it('should read tool calls in v1 answers too', () => {
    const body = v1TwoModelsResponse();
    delete body.data!.completions!['openai/gpt-3.5-turbo-0125'];
    body.data!.completions!['anthropic/claude-3-haiku:beta'].completion!.choices![0].message = {
      role: 'assistant',
      content: '```json\n{"tool_calls":[{"name":"get_time","arguments":{}}]}\n```',
    };
    const answer = fromStraicoPromptV1Response(body, shaping({ tools }));
    expect(answer.completion.choices[0].finish_reason).toBe('tool_calls');
    expect(answer.completion.choices[0].message.tool_calls).toEqual([
      expect.objectContaining({
        type: 'function',
        function: { name: 'get_time', arguments: '{}' },
      }),
    ]);
  });
});
