import 'reflect-metadata';

import { memoryConfig } from './memory.config';
import { withEnv } from '../common/testing/with-env';

const VARIABLES = [
  'DATABASE_URL',
  'DATA_DIR',
  'MEMORY_ENABLED',
  'MEMORY_MAX_TOKENS',
  'MEMORY_MIN_SCORE',
  'MEMORY_RETRIEVAL_TIMEOUT_MS',
  'MEMORY_WRITE_RETRY_MS',
  'MEMORY_WRITE_QUEUE_MAX',
  'MEMORY_EMBEDDINGS_MODEL',
  'MEMORY_MIN_SIMILARITY',
  'MULTI_REPLICA',
  'REDIS_URL',
];

function load(env: Record<string, string>) {
  return withEnv(VARIABLES, env, () => memoryConfig());
}

describe('memoryConfig', () => {
  it('should default to memory on, the embedded store under ./data and 1000 tokens', () => {
    expect(load({})).toEqual({
      enabled: true,
      databaseUrl: undefined,
      dataDir: './data',
      maxTokens: 1000,
      minScore: 0.1,
      retrievalTimeoutMs: 1000,
      searchCandidatePostings: 1000,
      writeRetryMs: 300_000,
      writeQueueMax: 10_000,
      embeddingsModel: undefined,
      minSimilarity: 0.3,
    });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['', true],
  ])('should read MEMORY_ENABLED=%s as %s', (value, enabled) => {
    expect(load({ MEMORY_ENABLED: value }).enabled).toBe(enabled);
  });

  it.each([
    ['MEMORY_ENABLED', 'maybe'],
    ['MEMORY_MIN_SCORE', '1.5'],
    ['MEMORY_RETRIEVAL_TIMEOUT_MS', '0'],
    ['MEMORY_WRITE_RETRY_MS', '-1'],
    ['MEMORY_WRITE_QUEUE_MAX', '0'],
  ])('should refuse %s=%s, naming it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(`Invalid configuration: ${name}="${value}"`);
  });

  it('should treat empty values as unset', () => {
    expect(load({ DATABASE_URL: ' ', DATA_DIR: '' })).toMatchObject({
      databaseUrl: undefined,
      dataDir: './data',
      maxTokens: 1000,
    });
  });

  it.each(['postgres://u:p@db:5432/gateway', 'postgresql://db/gateway?sslmode=require'])(
    'should read DATABASE_URL %s',
    (url) => {
      expect(
        load({ DATABASE_URL: url, DATA_DIR: '/var/lib/gw', MEMORY_MAX_TOKENS: '500' }),
      ).toMatchObject({ databaseUrl: url, dataDir: '/var/lib/gw', maxTokens: 500 });
    },
  );

  it.each(['mysql://u:secret@db/x', 'not a url secret', 'postgres://'])(
    'should refuse DATABASE_URL=%s, naming it without echoing the value',
    (url) => {
      expect(() => load({ DATABASE_URL: url })).toThrow(
        'Invalid configuration: DATABASE_URL is invalid (must look like postgres://',
      );
      expect(() => load({ DATABASE_URL: url })).not.toThrow(/secret/);
    },
  );

  it.each(['0', '-5', '1.5', 'many'])('should refuse MEMORY_MAX_TOKENS=%s, naming it', (value) => {
    expect(() => load({ MEMORY_MAX_TOKENS: value })).toThrow(
      `Invalid configuration: MEMORY_MAX_TOKENS="${value}" is invalid`,
    );
  });

  describe('with MULTI_REPLICA=true', () => {
    const PG = 'postgres://u:p@db:5432/gateway';
    const REDIS = 'redis://redis:6379/0';

    it.each([
      [{}, /DATABASE_URL \(shared memories\) and REDIS_URL \(shared rate limits\)/],
      [{ DATABASE_URL: PG }, /needs REDIS_URL/],
      [{ REDIS_URL: REDIS }, /needs DATABASE_URL \(shared memories\):/],
    ])('should refuse to start with %p, naming what is missing', (env, message) => {
      expect(() => load({ MULTI_REPLICA: 'true', ...env })).toThrow(message);
    });

    it('should start with both, or with Redis alone when memory is off', () => {
      expect(load({ MULTI_REPLICA: 'true', DATABASE_URL: PG, REDIS_URL: REDIS }).databaseUrl).toBe(
        PG,
      );
      expect(
        load({ MULTI_REPLICA: 'true', MEMORY_ENABLED: 'false', REDIS_URL: REDIS }).enabled,
      ).toBe(false);
    });
  });
});
