import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createGatewayApp } from '../src/app.factory';
import { TEST_KEY, UPSTREAM_KEY } from './support/gateway';

/**
 * A bad MODELS_FILE stops the boot (the same in-process factory main.ts uses) with a message
 * naming the variable, the file and the field, so an operator can fix it from the boot log.
 */
describe('MODELS_FILE validation at boot', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-catalog-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  /** Boots with this MODELS_FILE and returns why the boot failed. */
  async function bootError(modelsFile: string): Promise<Error> {
    const saved = { ...process.env };
    Object.assign(process.env, {
      // Nothing listens there: a boot that wrongly succeeded would still not call out.
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_API_KEY: UPSTREAM_KEY,
      GATEWAY_API_KEYS: TEST_KEY,
      LOG_LEVEL: 'silent',
      SELECTOR: 'gateway',
      MODELS_FILE: modelsFile,
    });
    delete process.env.STRAICO_API_KEY;
    try {
      const app = await createGatewayApp();
      await app.close();
    } catch (error) {
      return error as Error;
    } finally {
      process.env = saved;
    }
    throw new Error(`The gateway booted with MODELS_FILE=${modelsFile}`);
  }

  const model = (extra: Record<string, unknown> = {}) => ({
    id: 'solo',
    provider: 'openai',
    contextWindow: 8000,
    maxOutput: 1000,
    inputPricePerMTok: 1,
    outputPricePerMTok: 2,
    tier: 'small',
    ...extra,
  });

  it('should name the file, the entry and the field of a bad value (YAML)', async () => {
    const file = write(
      'bad-context.yaml',
      [
        'models:',
        '  - id: fine',
        '    provider: openai',
        '    contextWindow: 4000',
        '    maxOutput: 1000',
        '    inputPricePerMTok: 0.1',
        '    outputPricePerMTok: 0.4',
        '    tier: small',
        '  - id: broken',
        '    provider: openai',
        '    contextWindow: lots',
        '    maxOutput: 1000',
        '    inputPricePerMTok: 0.1',
        '    outputPricePerMTok: 0.4',
        '    tier: small',
      ].join('\n'),
    );

    const error = await bootError(file);

    expect(error.message).toContain('MODELS_FILE');
    expect(error.message).toContain(file);
    expect(error.message).toContain(
      'models[1].contextWindow: must be a positive integer (model "broken")',
    );
  });

  it('should refuse a fallback naming no model (JSON)', async () => {
    const file = write('ghost.json', JSON.stringify({ models: [model({ fallbacks: ['ghost'] })] }));

    const error = await bootError(file);

    expect(error.message).toContain(`MODELS_FILE: ${file}`);
    expect(error.message).toContain('models[0] (solo).fallbacks[0] "ghost"');
  });

  it('should refuse a misspelt field and an unknown tier', async () => {
    const file = write(
      'typos.json',
      JSON.stringify([model({ tier: 'huge', contextwindow: 9000 })]),
    );

    const error = await bootError(file);

    expect(error.message).toContain(`MODELS_FILE: ${file}`);
    expect(error.message).toContain('models[0].contextwindow: is not a known field');
    expect(error.message).toContain('models[0].tier: must be one of small, medium, large');
  });

  it('should refuse an alias reserved for automatic selection', async () => {
    const file = write('reserved.yaml', JSON.stringify({ models: [model({ aliases: ['auto'] })] }));

    const error = await bootError(file);

    expect(error.message).toContain('MODELS_FILE');
    expect(error.message).toContain('aliases[0] "auto" is reserved');
  });

  it('should name a file that cannot be read', async () => {
    const missing = join(dir, 'missing.yaml');

    const error = await bootError(missing);

    expect(error.message).toContain(`MODELS_FILE: ${missing}: cannot be read`);
  });
});
