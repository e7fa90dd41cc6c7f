import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  Min,
  ValidateNested,
  validateSync,
  ValidationError,
} from 'class-validator';
import { plainToInstance } from 'class-transformer';

import { NAMESPACE_PATTERN, NAMESPACE_RULE } from '../common/validation/namespace-rule';

const RESERVED_IDS = new Set(['anonymous']);

class KeyRateLimit {
  @IsInt() @Min(1) limit: number;
  @IsInt() @Min(1) ttlMs: number;
}

export class KeyFileEntry {
  @IsString() @MinLength(1) id: string;
  @IsOptional() @IsString() @MinLength(8) key?: string;
  @IsOptional()
  @Matches(/^[a-f0-9]{64}$/i, { message: 'sha256 must be 64 hex characters' })
  sha256?: string;
  @IsOptional() @IsArray() @ArrayNotEmpty() @IsString({ each: true }) models?: string[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => KeyRateLimit) rateLimit?: KeyRateLimit;
  @IsOptional() @IsInt() @Min(1) tpm?: number;
  /** The memory namespace used when a request names none. */
  @IsOptional() @Matches(NAMESPACE_PATTERN, { message: NAMESPACE_RULE }) namespace?: string;
  /** Memory namespaces shared by every key granted them (one store, not one per key). */
  @IsOptional()
  @IsArray()
  @Matches(NAMESPACE_PATTERN, { each: true, message: NAMESPACE_RULE })
  sharedNamespaces?: string[];
}

class KeysFile {
  @IsArray() @ValidateNested({ each: true }) @Type(() => KeyFileEntry) keys: KeyFileEntry[];
}

/**
 * Parses the keys file: `{"keys":[{"id","key"|"sha256","models"?,"rateLimit"?}]}` or the bare
 * array. Errors name the entry and field so an operator can fix the file from the boot log.
 */
export function parseKeysFile(json: string, source: string): KeyFileEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object') {
    throw new Error(`${source}: must be an object with "keys" or an array of keys`);
  }
  const file = plainToInstance(KeysFile, Array.isArray(raw) ? { keys: raw } : raw);
  const errors = validateSync(file);
  if (errors.length > 0) {
    throw new Error(`${source}: ${flatten(errors).join('; ')}`);
  }
  const ids = new Set<string>();
  for (const [index, entry] of file.keys.entries()) {
    if ((entry.key === undefined) === (entry.sha256 === undefined)) {
      throw new Error(`${source}: keys[${index}] needs exactly one of "key" or "sha256"`);
    }
    // Ids name rate-limit budgets and log lines: two keys sharing one would share both.
    if (ids.has(entry.id) || RESERVED_IDS.has(entry.id)) {
      throw new Error(`${source}: keys[${index}].id "${entry.id}" is already used or reserved`);
    }
    ids.add(entry.id);
  }
  return file.keys;
}

function flatten(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const here = /^\d+$/.test(error.property)
      ? `${path}[${error.property}]`
      : `${path}${path ? '.' : ''}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((text) => `${here}: ${text}`);
    return [...own, ...flatten(error.children ?? [], here)];
  });
}
