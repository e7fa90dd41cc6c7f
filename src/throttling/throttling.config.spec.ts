import 'reflect-metadata';

import { throttlingConfig } from './throttling.config';
import { withEnv } from '../common/testing/with-env';

const VARIABLES = [
  'THROTTLE_LIMIT',
  'THROTTLE_TTL_MS',
  'REDIS_URL',
  'RATE_LIMIT_FAIL_MODE',
  'REDIS_TIMEOUT_MS',
  'THROTTLE_TPM',
];

function load(env: Record<string, string>) {
  return withEnv(VARIABLES, env, () => throttlingConfig());
}

describe('throttlingConfig', () => {
  it('should default to in-process counters that fail open', () => {
    expect(load({})).toEqual({
      limit: 60,
      ttlMs: 60_000,
      redisUrl: undefined,
      failMode: 'open',
      redisTimeoutMs: 250,
      tpm: undefined,
    });
  });

  it.each(['redis://127.0.0.1:6379', 'rediss://:secret@cache.internal:6380/2'])(
    'should read REDIS_URL %s',
    (url) => {
      expect(load({ REDIS_URL: url, RATE_LIMIT_FAIL_MODE: 'closed' })).toMatchObject({
        redisUrl: url,
        failMode: 'closed',
      });
    },
  );

  it.each(['http://u:secret@cache', 'secret', 'redis://'])(
    'should refuse REDIS_URL=%s without echoing it',
    (url) => {
      expect(() => load({ REDIS_URL: url })).toThrow('REDIS_URL is invalid');
      expect(() => load({ REDIS_URL: url })).not.toThrow(/secret/);
    },
  );

  it.each([
    ['RATE_LIMIT_FAIL_MODE', 'sometimes'],
    ['REDIS_TIMEOUT_MS', '0'],
    ['THROTTLE_TPM', '0'],
  ])('should refuse %s=%s, naming it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(`Invalid configuration: ${name}="${value}"`);
  });
});
