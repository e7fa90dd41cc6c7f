import { MAX_REASON_LENGTH } from './model-selector';
import {
  ask,
  CATALOG,
  CODE,
  HARD,
  HELLO,
  IMAGE,
  LONG,
  model,
  Row,
  SCHEMA,
  select,
  TOOLS,
} from './__fixtures__/selector-cases';

describe('selectModel', () => {
  it.each<[string, Row]>([
    [
      'a greeting, balance: the cheapest small model',
      {
        request: HELLO,
        policy: 'balance',
        expected: 'tiny',
        reason:
          'tier=small (10 prompt tokens); policy=balance; fits 16k context; cheapest of 2 small models',
      },
    ],
    [
      'a coding request, balance: the cheapest medium model',
      { request: CODE, policy: 'balance', expected: 'mid', reason: 'tier=medium (code,' },
    ],
    [
      'a proof, balance: the cheapest large model',
      { request: HARD, policy: 'balance', expected: 'big', reason: 'tier=large (math, reasoning,' },
    ],
    [
      'a proof, cost: never below medium',
      {
        request: HARD,
        policy: 'cost',
        expected: 'mid',
        reason: 'cheapest of 4 models at tier medium or above',
      },
    ],
    [
      'a coding request, cost: the cheapest model of all',
      {
        request: CODE,
        policy: 'cost',
        expected: 'tiny',
        reason: 'cheapest of 6 models at tier small or above',
      },
    ],
    [
      'a greeting, quality: the cheapest large model',
      {
        request: HELLO,
        policy: 'quality',
        expected: 'big',
        reason: 'highest tier, cheapest of 2 large models',
      },
    ],
    [
      'a long prompt: the small-context model is left out',
      {
        request: LONG,
        policy: 'cost',
        expected: 'mid',
        reason: 'excluded 3 too small for context; fits 1M context',
      },
    ],
    [
      'a long prompt, quality: the large model with room',
      { request: LONG, policy: 'quality', expected: 'big', reason: 'fits 1M context' },
    ],
    [
      'an image: only vision models',
      {
        request: IMAGE,
        policy: 'cost',
        expected: 'mini',
        reason: 'needs vision; excluded 1 lacking vision',
      },
    ],
    [
      'tools: only tool models',
      { request: TOOLS, policy: 'balance', expected: 'tiny', reason: 'needs tools' },
    ],
    [
      'tools on a model without them: skipped',
      {
        request: TOOLS,
        policy: 'balance',
        expected: 'mini',
        reason: 'excluded 1 lacking tools',
        candidates: CATALOG.map((m) =>
          m.id === 'tiny' ? { ...m, capabilities: { ...m.capabilities, tools: false } } : m,
        ),
      },
    ],
    [
      'json_schema: only structured-output models',
      {
        request: SCHEMA,
        policy: 'balance',
        expected: 'mini',
        reason: 'needs json_schema; excluded 1 lacking json_schema',
      },
    ],
    [
      'a proof, for a key allowed two models (one by alias)',
      {
        request: HARD,
        policy: 'balance',
        expected: 'flagship',
        reason: 'excluded 4 not allowed',
        allowed: ['smart', 'thinker'],
      },
    ],
    [
      'a key allowed only large models, cost',
      {
        request: CODE,
        policy: 'cost',
        expected: 'big',
        reason: 'cheapest of 2 models at tier small or above',
        allowed: ['big', 'flagship'],
      },
    ],
    [
      'an unhealthy model: skipped',
      {
        request: HELLO,
        policy: 'balance',
        expected: 'mini',
        reason: 'excluded 1 unhealthy',
        unhealthy: ['tiny'],
      },
    ],
    [
      'no small model healthy, balance: the nearest higher tier',
      {
        request: HELLO,
        policy: 'balance',
        expected: 'mid',
        reason: 'no small model fits, cheapest of 2 medium models',
        unhealthy: ['tiny', 'mini'],
      },
    ],
    [
      'no large model left, balance: the nearest lower tier',
      {
        request: HARD,
        policy: 'balance',
        expected: 'mid',
        reason: 'no large model fits, cheapest of 2 medium models',
        allowed: ['tiny', 'mid', 'thinker'],
      },
    ],
    [
      'no large model left, quality: the next tier down',
      {
        request: HELLO,
        policy: 'quality',
        expected: 'mid',
        reason: 'no higher tier left, cheapest of 2 medium models',
        allowed: ['mini', 'mid', 'thinker'],
      },
    ],
    [
      'only small models left, cost on a large request',
      {
        request: HARD,
        policy: 'cost',
        expected: 'tiny',
        reason: 'nothing at tier medium or above, cheapest of 2 small models',
        allowed: ['tiny', 'mini'],
      },
    ],
    [
      'a temperature: no reasoning model',
      {
        request: ask('Prove step by step that 2+2=4 and why.', { temperature: 0.3 }),
        policy: 'balance',
        expected: 'big',
        reason: '1 reasoning (sampling params)',
        allowed: ['thinker', 'big'],
      },
    ],
    [
      'max_completion_tokens over a model limit',
      {
        request: ask('Write a long story.', { max_completion_tokens: 50_000 }),
        policy: 'cost',
        expected: 'thinker',
        reason: 'excluded 5 with smaller max output',
      },
    ],
    [
      'equal prices: the smaller id',
      {
        request: HELLO,
        policy: 'balance',
        expected: 'alpha',
        reason: 'cheapest of 2 small models',
        candidates: [model('beta', 'small', [1, 1]), model('alpha', 'small', [1, 1])],
      },
    ],
  ])('should pick for %s', (_name, row) => {
    const selection = select(row);
    expect(selection.model.id).toBe(row.expected);
    expect(selection.reason).toContain(row.reason);
    expect(selection.reason).toContain(`policy=${row.policy}`);
  });

  it('should give the same answer whatever the candidates order', () => {
    const reversed = select({
      request: CODE,
      policy: 'balance',
      candidates: [...CATALOG].reverse(),
    });
    expect(reversed).toEqual(select({ request: CODE, policy: 'balance' }));
  });

  it('should count the models that passed every filter', () => {
    expect(select({ request: IMAGE, policy: 'balance' }).considered).toBe(5);
    expect(select({ request: LONG, policy: 'balance' }).considered).toBe(3);
  });

  it('should price by the request: a long prompt favours a cheaper input price', () => {
    const cheapInput = model('cheap-in', 'medium', [0.1, 10]);
    const cheapOutput = model('cheap-out', 'medium', [1, 1]);
    const candidates = [cheapInput, cheapOutput];
    const longPrompt = ask('Summarize: ' + 'The committee met on Tuesday. '.repeat(2_000));
    expect(select({ request: longPrompt, policy: 'balance', candidates }).model.id).toBe(
      'cheap-in',
    );
    const longAnswer = ask('Summarize this.', { max_completion_tokens: 8_000 });
    expect(select({ request: longAnswer, policy: 'cost', candidates }).model.id).toBe('cheap-out');
  });

  it('should keep the reason on one short ASCII line', () => {
    const candidates = CATALOG.map((m) => ({ ...m, tier: 'large' as const }));
    const { reason } = select({
      request: IMAGE,
      policy: 'quality',
      candidates,
      unhealthy: ['mid'],
    });
    expect(reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(reason).toMatch(/^[\x20-\x7e]+$/);
    expect(reason).toMatch(/est \$\d/);
  });
});
