import 'reflect-metadata';

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEFAULT_CATALOG } from '../catalog/default-catalog';
import { modelSelectorConfig, resolveSelector } from './model-selector.config';
import { withEnv } from '../common/testing/with-env';

const EXAMPLE = join(__dirname, '../catalog/models.example.yaml');
const VARIABLES = ['MODELS_FILE', 'SELECTOR', 'SELECTOR_DEFAULT_POLICY'];

function load(env: Record<string, string>) {
  return withEnv(VARIABLES, env, () => modelSelectorConfig());
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'models-')), name);
  writeFileSync(path, text);
  return path;
}

describe('modelSelectorConfig', () => {
  it('should default to the built-in catalog, no fixed selector and the balance policy', () => {
    expect(load({})).toEqual({
      modelsFile: undefined,
      models: DEFAULT_CATALOG,
      selector: undefined,
      defaultPolicy: 'balance',
    });
  });

  it('should treat empty values as unset', () => {
    expect(load({ MODELS_FILE: ' ', SELECTOR: '', SELECTOR_DEFAULT_POLICY: '' })).toMatchObject({
      models: DEFAULT_CATALOG,
      selector: undefined,
      defaultPolicy: 'balance',
    });
  });

  it('should read the selector, the policy and the catalog file', () => {
    const config = load({
      MODELS_FILE: EXAMPLE,
      SELECTOR: 'gateway',
      SELECTOR_DEFAULT_POLICY: 'quality',
    });
    expect(config.modelsFile).toBe(EXAMPLE);
    expect(config.models.map((model) => model.id)).toContain('claude-haiku');
    expect(config.selector).toBe('gateway');
    expect(config.defaultPolicy).toBe('quality');
  });

  it.each([
    ['SELECTOR', 'openai'],
    ['SELECTOR_DEFAULT_POLICY', 'cheap'],
  ])('should refuse an invalid %s, naming it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(
      `Invalid configuration: ${name}="${value}" is invalid`,
    );
  });

  it('should refuse a missing catalog file, naming the variable and the path', () => {
    expect(() => load({ MODELS_FILE: '/nonexistent/models.yaml' })).toThrow(
      'Invalid configuration: MODELS_FILE: /nonexistent/models.yaml: cannot be read (ENOENT',
    );
  });

  it('should refuse an invalid catalog file, naming the variable, the file and the field', () => {
    const path = tempFile(
      'models.yaml',
      'models:\n  - { id: a, provider: openai, contextWindow: 0, maxOutput: 1, ' +
        'inputPricePerMTok: 1, outputPricePerMTok: 1, tier: small }\n',
    );
    expect(() => load({ MODELS_FILE: path })).toThrow(
      `Invalid configuration: MODELS_FILE: ${path}: models[0].contextWindow: must be a positive integer (model "a")`,
    );
  });
});

describe('resolveSelector', () => {
  it.each([
    [undefined, true, 'straico'],
    [undefined, false, 'gateway'],
    ['gateway', true, 'gateway'],
    ['gateway', false, 'gateway'],
    ['straico', true, 'straico'],
  ] as const)('should resolve SELECTOR=%s with Straico enabled=%s to %s', (set, straico, kind) => {
    expect(resolveSelector(set, straico)).toBe(kind);
  });

  it('should refuse SELECTOR=straico without Straico', () => {
    expect(() => resolveSelector('straico', false)).toThrow(
      'Invalid configuration: SELECTOR=straico needs Straico configured (STRAICO_API_KEY)',
    );
  });
});
