import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { validateEnv } from '../config/validate-env';

class ResponsesEnv {
  @IsOptional() @IsInt() @Min(0) RESPONSES_STORE_MAX_ENTRIES?: number;
  @IsOptional() @IsInt() @Min(1) @Max(65_536) RESPONSES_STORE_MAX_MB?: number;
  @IsOptional() @IsInt() @Min(1) RESPONSES_STORE_TTL_SECONDS?: number;
}

/**
 * The store behind `previous_response_id` and `GET /v1/responses/{id}`: in process, bounded by
 * entries and bytes (least recently used go first) and by age. 0 entries turns storing off.
 */
export const responsesConfig = registerAs('responses', () => {
  const env = validateEnv(ResponsesEnv);
  return {
    maxEntries: env.RESPONSES_STORE_MAX_ENTRIES ?? 10_000,
    maxBytes: (env.RESPONSES_STORE_MAX_MB ?? 256) * 1024 * 1024,
    ttlMs: (env.RESPONSES_STORE_TTL_SECONDS ?? 86_400) * 1000,
  };
});

export type ResponsesConfig = ReturnType<typeof responsesConfig>;
