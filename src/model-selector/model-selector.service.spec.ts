import 'reflect-metadata';

import { Test } from '@nestjs/testing';

import { GatewayException } from '../common/errors/gateway.exception';
import { ChatCompletionRequest } from '../providers/chat.types';
import { ModelCatalog } from '../catalog/model-catalog';
import { NoFitCause, NoModelFitsError } from './model-selector';
import { ModelSelectorModule } from './model-selector.module';
import { ModelSelectorService, toGatewayException } from './model-selector.service';
import { profileRequest } from './request-profile';
import { o200kTokenCounter } from '../tokens/token-counter';

const VARIABLES = ['MODELS_FILE', 'SELECTOR', 'SELECTOR_DEFAULT_POLICY'];

async function service(env: Record<string, string> = {}): Promise<ModelSelectorService> {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  VARIABLES.forEach((name) => delete process.env[name]);
  Object.assign(process.env, env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [ModelSelectorModule] }).compile();
    return moduleRef.get(ModelSelectorService);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
}

const ask = (content: string, fields: Record<string, unknown> = {}): ChatCompletionRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content }],
  ...fields,
});

function thrownBy(action: () => unknown): GatewayException {
  try {
    action();
  } catch (error) {
    return error as GatewayException;
  }
  throw new Error('expected the action to throw');
}

describe('ModelSelectorService', () => {
  it('should export the built-in catalog when MODELS_FILE is not set', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ModelSelectorModule] }).compile();
    expect(moduleRef.get(ModelCatalog).get('gpt-4o')?.aliases).toEqual(['smart']);
  });

  it('should select with the default policy and explain the choice', async () => {
    const selection = (await service()).select(ask('Hi there!'));
    expect(selection.policy).toBe('balance');
    expect(selection.model.id).toBe('gpt-4o-mini');
    expect(selection.reason).toMatch(/^tier=small \(\d+ prompt tokens\); policy=balance;/);
  });

  it('should select from the profile it is given instead of profiling the request again', async () => {
    // A short greeting profiled as a long prompt: only the given profile can make it large.
    const request = ask('Hi there!');
    const given = { ...profileRequest(request, o200kTokenCounter), promptTokens: 9_000 };
    const selection = (await service()).select(request, { profile: given });
    expect(selection.profile).toBe(given);
    expect(selection.reason).toMatch(/^tier=small \(9\.0k prompt tokens\)/);
  });

  it.each([
    ['a greeting', ask('Hi there!'), undefined, 'gpt-4o-mini'],
    [
      'a coding request',
      ask('Write a Python function that parses a CSV file.'),
      undefined,
      'gpt-4.1-mini',
    ],
    [
      'a proof',
      ask('Prove step by step that the square root of 2 is irrational.'),
      undefined,
      'o4-mini',
    ],
    [
      'a proof with a temperature',
      ask('Prove step by step that sqrt(2) is irrational.', { temperature: 0.2 }),
      undefined,
      'gpt-4.1',
    ],
    [
      'a greeting at auto:quality',
      { ...ask('Hi there!'), model: 'auto:quality' },
      undefined,
      'o4-mini',
    ],
    [
      'a proof with the cost header',
      ask('Prove step by step that sqrt(2) is irrational.'),
      'cost',
      'gpt-4.1-mini',
    ],
  ])('should pick from the built-in catalog for %s', async (_name, request, header, expected) => {
    const selection = (await service()).select(request, { policyHeader: header });
    expect(selection.model.id).toBe(expected);
  });

  it('should use SELECTOR_DEFAULT_POLICY and the catalog file', async () => {
    const selector = await service({
      MODELS_FILE: `${__dirname}/../catalog/models.example.yaml`,
      SELECTOR_DEFAULT_POLICY: 'quality',
    });
    expect(selector.parsePolicy('auto')).toBe('quality');
    expect(selector.catalog.resolveAlias('acme-expert')).toBe('gpt-4o');
    expect(selector.select(ask('Hi')).model.id).toBe('gpt-4o');
  });

  it('should honour a key restricted by alias and skip unhealthy models', async () => {
    const selector = await service();
    const selection = selector.select(ask('Hi there!'), {
      allowed: new Set(['fast', 'openai/gpt-4.1-mini']),
      isHealthy: (id) => id !== 'gpt-4o-mini',
    });
    expect(selection.model.id).toBe('gpt-4.1-mini');
    expect(selection.reason).toContain('excluded 3 not allowed, 1 unhealthy');
  });

  it('should answer an unknown policy with a 400 naming the model', async () => {
    const selector = await service();
    const refused = thrownBy(() => selector.select({ ...ask('Hi'), model: 'auto:fastest' }));
    expect(refused).toBeInstanceOf(GatewayException);
    expect(refused.getStatus()).toBe(400);
    expect(refused.body.param).toBe('model');
  });

  it('should answer a key allowed nothing that fits with a 403', async () => {
    const selector = await service();
    const refused = thrownBy(() => selector.select(ask('Hi'), { allowed: new Set(['gpt-5']) }));
    expect(refused.getStatus()).toBe(403);
    expect(refused.body).toMatchObject({ code: 'model_not_allowed', param: 'model' });
  });

  it('should tell who decides auto', async () => {
    expect((await service()).selectorFor(true)).toBe('straico');
    expect((await service({ SELECTOR: 'gateway' })).selectorFor(true)).toBe('gateway');
  });
});

describe('toGatewayException', () => {
  const profile = profileRequest(ask('Hi', { max_completion_tokens: 10 }), o200kTokenCounter);

  it.each<[NoFitCause, number, string, string | null]>([
    ['not_allowed', 403, 'model_not_allowed', 'model'],
    ['vision', 400, 'no_suitable_model', 'messages'],
    ['tools', 400, 'no_suitable_model', 'tools'],
    ['json_schema', 400, 'no_suitable_model', 'response_format'],
    ['sampling_params', 400, 'no_suitable_model', 'model'],
    ['max_output', 400, 'no_suitable_model', 'max_completion_tokens'],
    ['context', 400, 'context_length_exceeded', 'messages'],
    ['unhealthy', 503, 'no_provider_available', null],
    ['no_models', 503, 'no_provider_available', null],
  ])('should answer %s with %d %s', (why, status, code, param) => {
    const exception = toGatewayException(new NoModelFitsError(why, `because ${why}`), profile);
    expect(exception.getStatus()).toBe(status);
    expect(exception.body).toEqual({
      message: `because ${why}`,
      type: status === 503 ? 'server_error' : 'invalid_request_error',
      param,
      code,
    });
  });
});
