import {
  endTurnResponse,
  v2ChatReply,
  v2ChatResponse,
  v2SmartSelectorResponse,
} from './__fixtures__/straico-responses';
import { shaping } from '../testing/straico-response.fixtures';
import { fromStraicoChatResponse, normaliseFinishReason } from './straico-response.mapper';

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
});

describe('normaliseFinishReason edge cases', () => {
  it.each(['', 'toString', 'constructor', '__proto__'])('should map %p to stop', (native) => {
    expect(normaliseFinishReason(native)).toBe('stop');
  });
});
