import { NoFitCause, NoModelFitsError } from './model-selector';
import {
  ask,
  HELLO,
  IMAGE,
  LONG,
  model,
  Row,
  SCHEMA,
  select,
  TOOLS,
} from './__fixtures__/selector-cases';

describe('selectModel refusals', () => {
  it.each<[string, Omit<Row, 'expected' | 'reason'>, NoFitCause, string]>([
    [
      'an empty catalog',
      { request: HELLO, policy: 'balance', candidates: [] },
      'no_models',
      'no models',
    ],
    [
      'a key allowed none of them',
      { request: HELLO, policy: 'balance', allowed: ['gpt-5'] },
      'not_allowed',
      'not allowed to use any model',
    ],
    [
      'an image when no allowed model sees',
      { request: IMAGE, policy: 'balance', allowed: ['tiny'] },
      'vision',
      'supports image input',
    ],
    [
      'tools when no model has them',
      {
        request: TOOLS,
        policy: 'balance',
        candidates: [
          model('plain', 'small', [1, 1], {
            capabilities: { vision: false, tools: false, jsonSchema: false },
          }),
        ],
      },
      'tools',
      'supports tools',
    ],
    [
      'json_schema when no allowed model has it',
      { request: SCHEMA, policy: 'balance', allowed: ['tiny'] },
      'json_schema',
      'structured outputs',
    ],
    [
      'sampling parameters for reasoning models only',
      { request: ask('Hi', { temperature: 0 }), policy: 'balance', allowed: ['thinker'] },
      'sampling_params',
      'refuse temperature',
    ],
    [
      'more output than any model gives',
      { request: ask('Hi', { max_completion_tokens: 200_000 }), policy: 'balance' },
      'max_output',
      'largest: 100000',
    ],
    [
      'a prompt too long for every model',
      { request: LONG, policy: 'balance', allowed: ['tiny', 'mini', 'flagship'] },
      'context',
      'largest: 128000 tokens',
    ],
    [
      'every fitting circuit open',
      { request: LONG, policy: 'balance', unhealthy: ['mid', 'thinker', 'big'] },
      'unhealthy',
      'circuit open): mid, thinker, big',
    ],
  ])('should refuse %s, naming why', (_name, row, why, message) => {
    let thrown: unknown;
    try {
      select(row);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NoModelFitsError);
    expect((thrown as NoModelFitsError).why).toBe(why);
    expect((thrown as NoModelFitsError).message).toContain(message);
  });
});
