import 'reflect-metadata';

import { appConfig, parseByteSize, parseCorsOrigins, parseTrustProxy } from './app.config';
import { withEnv } from '../common/testing/with-env';

const VARIABLES = [
  'PORT',
  'HOST',
  'BODY_LIMIT',
  'HEADERS_TIMEOUT_MS',
  'BODY_TIMEOUT_MS',
  'SHUTDOWN_GRACE_MS',
  'UPSTREAM_TIMEOUT_MS',
  'LOG_LEVEL',
  'TRUST_PROXY',
  'CORS_ORIGINS',
];

function load(env: Record<string, string>) {
  return withEnv(VARIABLES, env, () => appConfig());
}

describe('appConfig', () => {
  it('should default to port 3000, no proxy trusted and CORS off', () => {
    expect(load({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      bodyLimit: '10mb',
      bodyLimitBytes: 10 * 1024 * 1024,
      headersTimeoutMs: 20_000,
      bodyTimeoutMs: 30_000,
      shutdownGraceMs: 25_000,
      upstreamTimeoutMs: 300_000,
      logLevel: 'info',
      trustProxy: false,
      corsOrigins: undefined,
    });
  });

  it.each<[string, number]>([
    ['1048576', 1_048_576],
    ['2kb', 2048],
    ['10MB', 10 * 1024 * 1024],
    ['1gb', 1024 ** 3],
    ['7b', 7],
  ])('should read BODY_LIMIT %s as %d bytes, as body-parser does', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
    expect(load({ BODY_LIMIT: text }).bodyLimitBytes).toBe(bytes);
  });

  it('should take the request timeouts from the environment', () => {
    expect(load({ HEADERS_TIMEOUT_MS: '500', BODY_TIMEOUT_MS: '700' })).toMatchObject({
      headersTimeoutMs: 500,
      bodyTimeoutMs: 700,
    });
  });

  it.each<[string, unknown]>([
    ['', false],
    ['false', false],
    ['FALSE', false],
    ['true', true],
    [' True ', true],
    ['0', 0],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['loopback, 10.0.0.0/8,192.168.1.7', ['loopback', '10.0.0.0/8', '192.168.1.7']],
    ['linklocal,uniquelocal', ['linklocal', 'uniquelocal']],
    ['fd00::/8,::1', ['fd00::/8', '::1']],
    ['10.0.0.0/255.0.0.0', ['10.0.0.0/255.0.0.0']],
  ])('should read TRUST_PROXY=%j as %j', (value, expected) => {
    expect(load({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    'yes please',
    'maybe',
    '-1',
    '1.5',
    '101',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0.300',
    '10.0.0.0/8,',
    'loopback;10.0.0.0/8',
    'fd00::/ffff::',
    '10.0.0.0/8/8',
    'localhost',
  ])('should refuse TRUST_PROXY=%j, naming it', (value) => {
    expect(() => load({ TRUST_PROXY: value })).toThrow(
      `Invalid configuration: TRUST_PROXY=${JSON.stringify(value)} is invalid (must be false, true, a hop count`,
    );
  });

  it.each<[string, unknown]>([
    ['', undefined],
    ['  ', undefined],
    ['*', '*'],
    ['https://app.example.com', ['https://app.example.com']],
    ['https://app.example.com/', ['https://app.example.com']],
    [
      'https://App.Example.com, http://localhost:5173',
      ['https://app.example.com', 'http://localhost:5173'],
    ],
  ])('should read CORS_ORIGINS=%j as %j', (value, expected) => {
    expect(load({ CORS_ORIGINS: value }).corsOrigins).toEqual(expected);
  });

  it.each([
    'app.example.com',
    'https://app.example.com/path',
    'https://app.example.com?x=1',
    'https://*.example.com',
    '*,https://app.example.com',
    'https://app.example.com,',
    'ftp://files.example.com',
    'https://user:pw@app.example.com',
  ])('should refuse CORS_ORIGINS=%j, naming it', (value) => {
    expect(() => load({ CORS_ORIGINS: value })).toThrow(
      `Invalid configuration: CORS_ORIGINS=${JSON.stringify(value)} is invalid (must be * or a comma list`,
    );
  });

  it('should keep the parsers usable on their own for unset values', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseCorsOrigins(undefined)).toBeUndefined();
  });
});
