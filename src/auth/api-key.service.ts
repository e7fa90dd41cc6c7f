import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { hash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { authConfig } from './auth.config';
import { ApiKeyIdentity } from './api-key.types';
import { KeyFileEntry, parseKeysFile } from './keys-file';
import { InvalidConfigError } from '../config/validate-env';

interface StoredKey {
  digest: Buffer;
  identity: ApiKeyIdentity;
}

/**
 * Holds the proxy keys as sha256 digests only, so the process never keeps a plaintext key it
 * does not need. A presented key is hashed and looked up by digest; the final comparison is
 * constant-time. Hashing first also means lookup timing reveals nothing about key prefixes.
 */
@Injectable()
export class ApiKeyService {
  private readonly keysByDigest = new Map<string, StoredKey>();
  readonly authDisabled: boolean;

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>) {
    this.authDisabled = config.disabled;
    config.apiKeys.forEach((key, index) => {
      this.add(sha256(key), { id: `env-key-${index + 1}` });
    });
    if (config.keysFile) {
      for (const entry of loadKeysFile(config.keysFile)) {
        this.add(entry.key ? sha256(entry.key) : Buffer.from(entry.sha256!, 'hex'), {
          id: entry.id,
          allowedModels: entry.models ? new Set(entry.models) : undefined,
          rateLimit: entry.rateLimit,
          tpm: entry.tpm,
          memoryNamespace: entry.namespace,
          sharedNamespaces: entry.sharedNamespaces ? new Set(entry.sharedNamespaces) : undefined,
        });
      }
    }
  }

  get configuredKeyCount(): number {
    return this.keysByDigest.size;
  }

  verify(presentedKey: string): ApiKeyIdentity | undefined {
    // One-shot hash straight to the map's key: no Hash object and no Buffer per request.
    const hex = hash('sha256', presentedKey, 'hex');
    const stored = this.keysByDigest.get(hex);
    return stored && timingSafeEqual(stored.digest, Buffer.from(hex, 'hex'))
      ? stored.identity
      : undefined;
  }

  private add(digest: Buffer, identity: ApiKeyIdentity): void {
    const hex = digest.toString('hex');
    const existing = this.keysByDigest.get(hex);
    if (existing) {
      throw new InvalidConfigError(
        `the same API key is configured twice (ids "${existing.identity.id}" and "${identity.id}")`,
      );
    }
    this.keysByDigest.set(hex, { digest, identity });
  }
}

function loadKeysFile(path: string): KeyFileEntry[] {
  try {
    return parseKeysFile(readFileSync(path, 'utf8'), path);
  } catch (error) {
    throw new InvalidConfigError(`GATEWAY_KEYS_FILE: ${(error as Error).message}`);
  }
}

function sha256(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
