import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';

import { envString, parseServiceUrl, validateEnv } from '../config/validate-env';

export const FAIL_MODES = ['open', 'closed'] as const;

class ThrottlingEnv {
  @IsOptional() @IsInt() @Min(1) THROTTLE_LIMIT?: number;
  @IsOptional() @IsInt() @Min(1) THROTTLE_TTL_MS?: number;
  // REDIS_URL is checked by hand below: the generic message would echo its password.
  @IsOptional() @IsIn(FAIL_MODES) RATE_LIMIT_FAIL_MODE?: (typeof FAIL_MODES)[number];
  @IsOptional() @IsInt() @Min(1) REDIS_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(1) THROTTLE_TPM?: number;
}

export const throttlingConfig = registerAs('throttling', () => {
  const env = validateEnv(ThrottlingEnv);
  return {
    limit: env.THROTTLE_LIMIT ?? 60,
    ttlMs: env.THROTTLE_TTL_MS ?? 60_000,
    /** Counters shared by every replica when set; in-process otherwise. */
    redisUrl: parseRedisUrl(envString(process.env.REDIS_URL)),
    /** What a request gets while the shared counters cannot be reached. */
    failMode: env.RATE_LIMIT_FAIL_MODE ?? 'open',
    /** Connect and command timeout: a limiter that hangs would hang every request. */
    redisTimeoutMs: env.REDIS_TIMEOUT_MS ?? 250,
    /** Tokens per minute per key unless the keys file sets `tpm`; undefined: no token limit. */
    tpm: env.THROTTLE_TPM,
  };
});

export function parseRedisUrl(value: string | undefined): string | undefined {
  return parseServiceUrl(
    'REDIS_URL',
    value,
    ['redis:', 'rediss:'],
    'redis://:password@host:6379/0 or rediss://...',
  );
}
