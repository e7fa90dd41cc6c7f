import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';

import { envString, InvalidConfigError, validateEnv } from '../config/validate-env';

class MemoryEnv {
  // DATABASE_URL is checked by hand below: the generic message would echo its password.
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional() @IsInt() @Min(1) MEMORY_MAX_TOKENS?: number;
}

export const memoryConfig = registerAs('memory', () => {
  const env = validateEnv(MemoryEnv);
  return {
    /** Undefined: embedded Postgres (PGlite) persisted under `dataDir`. */
    databaseUrl: parseDatabaseUrl(envString(process.env.DATABASE_URL)),
    dataDir: envString(env.DATA_DIR) ?? './data',
    /** Budget for the memories injected into one request. */
    maxTokens: env.MEMORY_MAX_TOKENS ?? 1000,
  };
});

export type MemoryConfig = ReturnType<typeof memoryConfig>;

const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'];

/** The error names the variable but never repeats the value, which usually holds a password. */
export function parseDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || !POSTGRES_PROTOCOLS.includes(url.protocol) || url.hostname === '') {
    throw new InvalidConfigError(
      'DATABASE_URL is invalid (must look like postgres://user:password@host:5432/database)',
    );
  }
  return value;
}
