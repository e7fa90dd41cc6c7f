import 'reflect-metadata';

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ApiKeyService } from './api-key.service';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

describe('ApiKeyService', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'api-key-service-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function keysFile(content: unknown): string {
    const path = join(dir, 'keys.json');
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content), 'utf8');
    return path;
  }

  function service(apiKeys: string[], keysFilePath?: string, disabled = false): ApiKeyService {
    return new ApiKeyService({ apiKeys, keysFile: keysFilePath, disabled });
  }

  describe('environment keys', () => {
    it('should accept each env key with a positional id', () => {
      const keys = service(['sk-env-one', 'sk-env-two']);
      expect(keys.verify('sk-env-one')).toEqual({ id: 'env-key-1' });
      expect(keys.verify('sk-env-two')).toEqual({ id: 'env-key-2' });
      expect(keys.configuredKeyCount).toBe(2);
    });

    it('should give env keys no model restriction and no rate-limit override', () => {
      const identity = service(['sk-env-one']).verify('sk-env-one');
      expect(identity?.allowedModels).toBeUndefined();
      expect(identity?.rateLimit).toBeUndefined();
    });

    it.each([
      ['a wrong key', 'sk-env-wrong'],
      ['an empty string', ''],
      ['a prefix of a real key', 'sk-env-on'],
      ['a real key with trailing whitespace', 'sk-env-one '],
      ['a real key in another case', 'SK-ENV-ONE'],
    ])('should reject %s', (_name, presented) => {
      expect(service(['sk-env-one']).verify(presented)).toBeUndefined();
    });

    it('should reject everything when no key is configured', () => {
      const keys = service([]);
      expect(keys.configuredKeyCount).toBe(0);
      expect(keys.verify('anything')).toBeUndefined();
      expect(keys.verify('')).toBeUndefined();
    });

    it('should reject the same key given twice in the environment', () => {
      expect(() => service(['sk-dup', 'sk-dup'])).toThrow(
        'the same API key is configured twice (ids "env-key-1" and "env-key-2")',
      );
    });
  });

  describe('keys file', () => {
    it('should accept a file key by its plaintext', () => {
      const path = keysFile({ keys: [{ id: 'team-alpha', key: 'sk-alpha-plain' }] });
      expect(service([], path).verify('sk-alpha-plain')?.id).toBe('team-alpha');
    });

    it('should accept a file key stored as a sha256 hash, and not the hash itself', () => {
      const path = keysFile([{ id: 'team-beta', sha256: sha256('sk-beta-hashed') }]);
      const keys = service([], path);
      expect(keys.verify('sk-beta-hashed')?.id).toBe('team-beta');
      expect(keys.verify(sha256('sk-beta-hashed'))).toBeUndefined();
    });

    it('should accept a sha256 hash written in upper case', () => {
      const path = keysFile([{ id: 'team-beta', sha256: sha256('sk-beta-hashed').toUpperCase() }]);
      expect(service([], path).verify('sk-beta-hashed')?.id).toBe('team-beta');
    });

    it('should combine env and file keys and reject wrong ones', () => {
      const path = keysFile([
        { id: 'team-alpha', key: 'sk-alpha-plain' },
        { id: 'team-beta', sha256: sha256('sk-beta-hashed') },
      ]);
      const keys = service(['sk-env-one'], path);
      expect(keys.configuredKeyCount).toBe(3);
      expect(keys.verify('sk-env-one')?.id).toBe('env-key-1');
      expect(keys.verify('sk-alpha-plain')?.id).toBe('team-alpha');
      expect(keys.verify('sk-beta-hashed')?.id).toBe('team-beta');
      expect(keys.verify('sk-gamma')).toBeUndefined();
      expect(keys.verify('')).toBeUndefined();
    });

    it('should carry allowedModels and rateLimit into the identity', () => {
      const path = keysFile({
        keys: [
          {
            id: 'limited',
            key: 'sk-limited-key',
            models: ['gpt-4o-mini', 'openai/gpt-4o'],
            rateLimit: { limit: 5, ttlMs: 10_000 },
          },
        ],
      });
      const identity = service([], path).verify('sk-limited-key');
      expect(identity?.id).toBe('limited');
      expect(identity?.allowedModels).toBeInstanceOf(Set);
      expect([...(identity?.allowedModels ?? [])]).toEqual(['gpt-4o-mini', 'openai/gpt-4o']);
      expect(identity?.rateLimit).toEqual({ limit: 5, ttlMs: 10_000 });
    });

    it('should leave allowedModels and rateLimit undefined when the entry omits them', () => {
      const path = keysFile([{ id: 'open', key: 'sk-open-key' }]);
      const identity = service([], path).verify('sk-open-key');
      expect(identity?.allowedModels).toBeUndefined();
      expect(identity?.rateLimit).toBeUndefined();
    });

    it('should throw at construction when a key is in both the environment and the file', () => {
      const path = keysFile([{ id: 'team-alpha', key: 'sk-shared-key' }]);
      expect(() => service(['sk-shared-key'], path)).toThrow(
        'the same API key is configured twice (ids "env-key-1" and "team-alpha")',
      );
    });

    it('should detect a duplicate between an env key and a file hash of it', () => {
      const path = keysFile([{ id: 'hashed', sha256: sha256('sk-shared-key') }]);
      expect(() => service(['sk-shared-key'], path)).toThrow(/configured twice/);
    });

    it('should detect a duplicate between a plaintext and a hashed file entry', () => {
      const path = keysFile([
        { id: 'plain', key: 'sk-shared-key' },
        { id: 'hashed', sha256: sha256('sk-shared-key') },
      ]);
      expect(() => service([], path)).toThrow(/ids "plain" and "hashed"/);
    });

    it('should throw with the file path when the file is invalid', () => {
      const path = keysFile('not json');
      expect(() => service([], path)).toThrow(`${path}: not valid JSON`);
    });

    it('should throw when the file does not exist', () => {
      expect(() => service([], join(dir, 'missing.json'))).toThrow(/ENOENT/);
    });
  });

  it('should expose the disabled flag', () => {
    expect(service([], undefined, true).authDisabled).toBe(true);
    expect(service([]).authDisabled).toBe(false);
  });
});
