import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';

import { ChatCompletionRequest, ChatMessage } from '../providers/chat.types';
import { DEFAULT_OUTPUT_TOKENS, lazyProfile, profileRequest } from './request-profile';
import { o200kTokenCounter, TokenCounter } from '../tokens/token-counter';

function request(
  messages: ChatMessage[],
  fields: Record<string, unknown> = {},
): ChatCompletionRequest {
  return { model: 'auto', messages, ...fields };
}

const user = (content: ChatMessage['content']): ChatMessage => ({ role: 'user', content });
const profile = (req: ChatCompletionRequest) => profileRequest(req, o200kTokenCounter);
const image = (detail?: string) => ({
  type: 'image_url',
  image_url: { url: 'https://example.com/cat.png', ...(detail ? { detail } : {}) },
});
const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

describe('profileRequest', () => {
  describe('prompt tokens', () => {
    it('should count like OpenAI: text plus 4 per message plus 3 for the reply', () => {
      const texts = ['You are terse.', 'What is the capital of France?'];
      const result = profile(
        request([
          { role: 'system', content: texts[0] },
          { role: 'user', content: texts[1] },
        ]),
      );
      expect(result.promptTokens).toBe(countTokens(texts.join('\n')) + 2 * 4 + 3);
      // OpenAI reports 24 prompt tokens for this exchange on gpt-4o.
      expect(result.promptTokens).toBeGreaterThanOrEqual(20);
      expect(result.promptTokens).toBeLessThanOrEqual(28);
    });

    it('should stay close to the tokenizer on a long conversation', () => {
      const turn = 'Explain how a hash map handles collisions, with an example in Go. ';
      const messages = Array.from({ length: 40 }, (_, index) => ({
        role: index % 2 === 0 ? 'user' : 'assistant',
        content: turn.repeat(20),
      }));
      const text = countTokens(turn.repeat(20)) * 40;
      const { promptTokens } = profile(request(messages));
      expect(promptTokens).toBeGreaterThan(text);
      expect(promptTokens).toBeLessThan(text * 1.05);
    });

    it.each([
      ['an image at auto detail', [image()], 765],
      ['an image at low detail', [image('low')], 85],
      ['two images at high detail', [image('high'), image('high')], 1_530],
    ])('should add a fixed estimate for %s', (_name, parts, imageTokens) => {
      const withImages = profile(request([user([{ type: 'text', text: 'Describe' }, ...parts])]));
      const textOnly = profile(request([user([{ type: 'text', text: 'Describe' }])]));
      expect(withImages.promptTokens - textOnly.promptTokens).toBe(imageTokens);
    });

    it('should count names, tool calls, tool definitions and the schema', () => {
      const counted: string[] = [];
      const spy: TokenCounter = { count: (text) => (counted.push(text), text.length) };
      profileRequest(
        request(
          [
            { role: 'user', name: 'ann', content: 'Weather?' },
            { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function' }] },
            { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
          ],
          {
            tools: TOOLS,
            response_format: { type: 'json_schema', json_schema: { name: 'w', schema: {} } },
          },
        ),
        spy,
      );
      expect(counted).toHaveLength(1);
      for (const piece of ['ann', 'Weather?', '"id":"c1"', 'sunny', 'get_weather', '"name":"w"']) {
        expect(counted[0]).toContain(piece);
      }
    });

    it('should survive a message without content and unknown parts', () => {
      const result = profile(
        request([
          { role: 'assistant', content: null },
          user([{ type: 'input_audio', input_audio: {} }, null as never, { type: 'text' }]),
        ]),
      );
      expect(result.promptTokens).toBe(2 * 4 + 3);
    });
  });

  describe('output tokens', () => {
    it.each([
      ['neither limit', {}, DEFAULT_OUTPUT_TOKENS, false],
      ['max_tokens', { max_tokens: 500 }, 500, true],
      ['max_completion_tokens', { max_completion_tokens: 2_000 }, 2_000, true],
      [
        'both, preferring max_completion_tokens',
        { max_tokens: 10, max_completion_tokens: 20 },
        20,
        true,
      ],
      ['an invalid limit', { max_tokens: -5 }, DEFAULT_OUTPUT_TOKENS, false],
    ])('should read %s', (_name, fields, tokens, explicit) => {
      const result = profile(request([user('Hi')], fields));
      expect(result.requestedOutputTokens).toBe(tokens);
      expect(result.explicitOutput).toBe(explicit);
    });
  });

  describe('needs', () => {
    it.each([
      ['plain text', [user('Hi')], {}, {}],
      [
        'an image part',
        [user([{ type: 'text', text: 'What is this?' }, image()])],
        {},
        { vision: true },
      ],
      ['tools', [user('Weather?')], { tools: TOOLS }, { tools: true }],
      ['legacy functions', [user('Weather?')], { functions: [TOOLS[0].function] }, { tools: true }],
      ['an empty tools list', [user('Hi')], { tools: [] }, {}],
      [
        'a json_schema response format',
        [user('Hi')],
        { response_format: { type: 'json_schema', json_schema: { name: 'x' } } },
        { jsonSchema: true },
      ],
      [
        'a json_object response format',
        [user('Hi')],
        { response_format: { type: 'json_object' } },
        {},
      ],
      ['a temperature', [user('Hi')], { temperature: 0.2 }, { samplingParams: true }],
      ['the default temperature', [user('Hi')], { temperature: 1 }, {}],
      ['max_tokens', [user('Hi')], { max_tokens: 100 }, { samplingParams: true }],
      ['max_completion_tokens', [user('Hi')], { max_completion_tokens: 100 }, {}],
      ['a logit bias', [user('Hi')], { logit_bias: { '50256': -100 } }, { samplingParams: true }],
      ['a presence penalty', [user('Hi')], { presence_penalty: 0.5 }, { samplingParams: true }],
    ])('should read the needs of %s', (_name, messages, fields, needs) => {
      expect(profile(request(messages, fields)).needs).toEqual({
        vision: false,
        tools: false,
        jsonSchema: false,
        samplingParams: false,
        ...needs,
      });
    });
  });

  describe('complexity', () => {
    const turns = (count: number) =>
      Array.from({ length: count * 2 - 1 }, (_, index) =>
        index % 2 === 0 ? user('Tell me more.') : { role: 'assistant', content: 'Sure.' },
      );

    it.each([
      ['a greeting', [user('Hi there!')], 0, 'small'],
      ['one reasoning cue', [user('Why is the sky blue?')], 1, 'small'],
      ['a medium-length text', [user('The quick brown fox jumps. '.repeat(100))], 1, 'small'],
      ['a coding request', [user('Write a Python function that parses a CSV file.')], 2, 'medium'],
      ['a long document', [user('The committee met on Tuesday. '.repeat(1_500))], 3, 'medium'],
      ['a long conversation', turns(10), 2, 'medium'],
      [
        'a proof step by step',
        [user('Prove step by step that the square root of 2 is irrational.')],
        4,
        'large',
      ],
      [
        'code to analyze',
        [user('Analyze this code and explain why it is slow:\n```js\nfor (;;) {}\n```')],
        4,
        'large',
      ],
      [
        'everything at once',
        [...turns(12), user('Compare step by step: ```x^2 = 4``` '.repeat(700))],
        11,
        'large',
      ],
    ])('should score %s', (_name, messages, score, tier) => {
      const result = profile(request(messages));
      expect(result.complexityScore).toBe(score);
      expect(result.tier).toBe(tier);
    });

    it('should count user turns as depth', () => {
      expect(profile(request(turns(4))).depth).toBe(4);
      expect(profile(request([{ role: 'system', content: 'x' }, user('y')])).depth).toBe(1);
    });

    it('should find cues in recent messages only', () => {
      const old = user(`Solve the integral: ${'a '.repeat(20_000)}`);
      const recent = user('b '.repeat(20_000));
      expect(profile(request([old, recent])).cues.math).toBe(false);
      expect(profile(request([recent, old])).cues.math).toBe(true);
    });
  });
});

describe('lazyProfile', () => {
  it('should tokenise the request once, on first use, however often it is asked', () => {
    const counted: string[] = [];
    const counter: TokenCounter = {
      count: (text) => {
        counted.push(text);
        return o200kTokenCounter.count(text);
      },
    };
    const profileOf = lazyProfile(
      { model: 'auto', messages: [{ role: 'user', content: 'Hi' }] },
      counter,
    );
    expect(counted).toEqual([]);
    const first = profileOf();
    const tokenised = counted.length;
    expect(tokenised).toBeGreaterThan(0);
    expect(profileOf()).toBe(first);
    expect(counted).toHaveLength(tokenised);
  });
});
