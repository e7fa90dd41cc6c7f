import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsInt,
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
  @IsOptional() @ValidateNested() @Type(() => KeyRateLimit) rateLimit?: KeyRateLimit;
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
  const file = plainToInstance(KeysFile, Array.isArray(raw) ? { keys: raw } : raw);
  const errors = validateSync(file);
  if (errors.length > 0) {
    throw new Error(`${source}: ${flatten(errors).join('; ')}`);
  }
  for (const [index, entry] of file.keys.entries()) {
    if ((entry.key === undefined) === (entry.sha256 === undefined)) {
      throw new Error(`${source}: keys[${index}] needs exactly one of "key" or "sha256"`);
    }
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
