import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Min } from 'class-validator';

import { validateEnv } from '../config/validate-env';

class ThrottlingEnv {
  @IsOptional() @IsInt() @Min(1) THROTTLE_LIMIT?: number;
  @IsOptional() @IsInt() @Min(1) THROTTLE_TTL_MS?: number;
}

export const throttlingConfig = registerAs('throttling', () => {
  const env = validateEnv(ThrottlingEnv);
  return {
    limit: env.THROTTLE_LIMIT ?? 60,
    ttlMs: env.THROTTLE_TTL_MS ?? 60_000,
  };
});
