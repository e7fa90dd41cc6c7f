import 'reflect-metadata';

import { createHash } from 'node:crypto';

import { parseKeysFile } from './keys-file';

const SOURCE = '/etc/gateway/keys.json';
const HASH = createHash('sha256').update('sk-team-alpha-secret').digest('hex');

function parse(value: unknown): ReturnType<typeof parseKeysFile> {
  return parseKeysFile(JSON.stringify(value), SOURCE);
}

describe('parseKeysFile', () => {
  it('should parse the object form with every optional field', () => {
    const entries = parse({
      keys: [
        {
          id: 'team-alpha',
          key: 'sk-team-alpha-secret',
          models: ['gpt-4o-mini', 'gpt-4o'],
          rateLimit: { limit: 100, ttlMs: 60_000 },
        },
        { id: 'team-beta', sha256: HASH },
      ],
    });
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      id: 'team-alpha',
      key: 'sk-team-alpha-secret',
      models: ['gpt-4o-mini', 'gpt-4o'],
      rateLimit: { limit: 100, ttlMs: 60_000 },
    });
    expect(entries[0].sha256).toBeUndefined();
    expect(entries[1]).toMatchObject({ id: 'team-beta', sha256: HASH });
    expect(entries[1].key).toBeUndefined();
  });

  it('should parse a bare array of entries', () => {
    const entries = parse([
      { id: 'a', key: 'key-aaaaaaaa' },
      { id: 'b', key: 'key-bbbbbbbb' },
    ]);
    expect(entries.map((entry) => entry.id)).toEqual(['a', 'b']);
  });

  it('should accept an empty list', () => {
    expect(parse({ keys: [] })).toEqual([]);
    expect(parse([])).toEqual([]);
  });

  it('should accept an upper-case sha256', () => {
    expect(parse([{ id: 'a', sha256: HASH.toUpperCase() }])[0].sha256).toBe(HASH.toUpperCase());
  });

  it('should require one of key or sha256', () => {
    expect(() => parse([{ id: 'a', key: 'key-aaaaaaaa' }, { id: 'b' }])).toThrow(
      `${SOURCE}: keys[1] needs exactly one of "key" or "sha256"`,
    );
  });

  it('should reject an entry with both key and sha256', () => {
    expect(() => parse([{ id: 'a', key: 'key-aaaaaaaa', sha256: HASH }])).toThrow(
      `${SOURCE}: keys[0] needs exactly one of "key" or "sha256"`,
    );
  });

  it.each([
    ['too short', 'abc123'],
    ['not hex', 'z'.repeat(64)],
    ['one character too long', `${HASH}0`],
  ])('should reject a sha256 that is %s', (_name, sha256) => {
    expect(() => parse([{ id: 'a', sha256 }])).toThrow(
      `${SOURCE}: keys[0].sha256: sha256 must be 64 hex characters`,
    );
  });

  it('should reject a key shorter than 8 characters', () => {
    expect(() => parse([{ id: 'a', key: 'short' }])).toThrow(
      /^\/etc\/gateway\/keys\.json: keys\[0\]\.key: /,
    );
  });

  it('should reject a missing or empty id', () => {
    expect(() => parse([{ key: 'key-aaaaaaaa' }])).toThrow(/keys\[0\]\.id: /);
    expect(() => parse([{ id: '', key: 'key-aaaaaaaa' }])).toThrow(/keys\[0\]\.id: /);
  });

  it('should reject an empty or non-string models list', () => {
    expect(() => parse([{ id: 'a', key: 'key-aaaaaaaa', models: [] }])).toThrow(
      /keys\[0\]\.models: /,
    );
    expect(() => parse([{ id: 'a', key: 'key-aaaaaaaa', models: ['x', 1] }])).toThrow(
      /keys\[0\]\.models: each value in models must be a string/,
    );
  });

  it('should name the source and the parser error for invalid JSON', () => {
    expect(() => parseKeysFile('{"keys": [', SOURCE)).toThrow(
      new RegExp(`^${SOURCE.replace(/\./g, '\\.')}: not valid JSON \\(.+\\)$`),
    );
  });

  it('should reject an object without a keys array', () => {
    expect(() => parse({ entries: [] })).toThrow(`${SOURCE}: keys: keys must be an array`);
  });

  it('should reject an entry that is not an object', () => {
    expect(() => parse([42])).toThrow(/^\/etc\/gateway\/keys\.json: keys\[0\]: /);
  });

  it.each<[string, unknown, string]>([
    ['a zero limit', { limit: 0, ttlMs: 1000 }, 'keys[1].rateLimit.limit'],
    ['a fractional limit', { limit: 1.5, ttlMs: 1000 }, 'keys[1].rateLimit.limit'],
    ['a missing ttlMs', { limit: 10 }, 'keys[1].rateLimit.ttlMs'],
    ['a string ttlMs', { limit: 10, ttlMs: '60s' }, 'keys[1].rateLimit.ttlMs'],
    ['a number instead of an object', 5, 'keys[1].rateLimit'],
  ])('should name the field path for a rateLimit with %s', (_name, rateLimit, path) => {
    const file = {
      keys: [
        { id: 'ok', key: 'key-aaaaaaaa' },
        { id: 'bad', key: 'key-bbbbbbbb', rateLimit },
      ],
    };
    expect(() => parse(file)).toThrow(`${SOURCE}: ${path}: `);
  });

  it('should list every problem in one message', () => {
    let message = '';
    try {
      parse([{ id: 'a', sha256: 'nope', rateLimit: { limit: 0, ttlMs: 1 } }]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('keys[0].sha256: sha256 must be 64 hex characters');
    expect(message).toContain('keys[0].rateLimit.limit: ');
    expect(message.split('; ').length).toBeGreaterThanOrEqual(2);
  });

  it('should name the source when the file holds JSON null', () => {
    expect(() => parseKeysFile('null', SOURCE)).toThrow(`${SOURCE}: `);
  });

  it('should reject a rateLimit given as an array', () => {
    expect(() => parse([{ id: 'a', key: 'key-aaaaaaaa', rateLimit: [] }])).toThrow(
      `${SOURCE}: keys[0].rateLimit`,
    );
  });

  it('should reject two entries with the same id, since ids name rate-limit budgets', () => {
    expect(() =>
      parse([
        { id: 'team', key: 'key-aaaaaaaa' },
        { id: 'team', key: 'key-bbbbbbbb' },
      ]),
    ).toThrow(`${SOURCE}: keys[1].id "team" is already used or reserved`);
  });

  it('should reject the reserved id "anonymous"', () => {
    expect(() => parse([{ id: 'anonymous', key: 'key-aaaaaaaa' }])).toThrow('reserved');
  });
});
