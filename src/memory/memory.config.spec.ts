import 'reflect-metadata';

import { memoryConfig } from './memory.config';

const VARIABLES = ['DATABASE_URL', 'DATA_DIR', 'MEMORY_MAX_TOKENS'];

function load(env: Record<string, string>) {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  VARIABLES.forEach((name) => delete process.env[name]);
  Object.assign(process.env, env);
  try {
    return memoryConfig();
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

describe('memoryConfig', () => {
  it('should default to embedded Postgres under ./data and 1000 tokens', () => {
    expect(load({})).toEqual({ databaseUrl: undefined, dataDir: './data', maxTokens: 1000 });
  });

  it('should treat empty values as unset', () => {
    expect(load({ DATABASE_URL: ' ', DATA_DIR: '' })).toEqual({
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
      ).toEqual({ databaseUrl: url, dataDir: '/var/lib/gw', maxTokens: 500 });
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
});
