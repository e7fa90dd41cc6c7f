import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Min } from 'class-validator';

import { envString, validateEnv } from '../../config/validate-env';

class OpenAiEnv {
  @IsOptional() @IsString() OPENAI_API_KEY?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OPENAI_BASE_URL?: string;
  @IsOptional() @IsInt() @Min(1) OPENAI_MAX_CONNECTIONS?: number;
  @IsOptional() @IsInt() @Min(1000) MODELS_CACHE_TTL_MS?: number;
  @IsOptional() @IsInt() @Min(1) OPENAI_CONNECT_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(1) OPENAI_FIRST_BYTE_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(1) OPENAI_IDLE_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(0) OPENAI_TOTAL_TIMEOUT_MS?: number;
  @IsOptional() @IsIn(['auto', 'native', 'translate']) OPENAI_RESPONSES_API?: string;
}

export const openAiConfig = registerAs('openai', () => {
  const env = validateEnv(OpenAiEnv);
  const apiKey = envString(env.OPENAI_API_KEY);
  const explicitBaseUrl = envString(env.OPENAI_BASE_URL);
  return {
    apiKey,
    baseUrl: (explicitBaseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, ''),
    // Self-hosted OpenAI-compatible servers often need no key; naming one is enough to enable.
    enabled: apiKey !== undefined || explicitBaseUrl !== undefined,
    maxConnections: env.OPENAI_MAX_CONNECTIONS ?? 128,
    modelsCacheTtlMs: env.MODELS_CACHE_TTL_MS ?? 300_000,
    /**
     * How `/v1/responses` reaches this upstream: `native` passes it through, `translate` maps it
     * to Chat Completions, `auto` tries native and translates from the first "no such route" on.
     */
    responsesApi: (env.OPENAI_RESPONSES_API ?? 'auto') as 'auto' | 'native' | 'translate',
    /** Undefined first-byte and idle timeouts fall back to UPSTREAM_TIMEOUT_MS; total 0 = none. */
    timeouts: {
      connectMs: env.OPENAI_CONNECT_TIMEOUT_MS ?? 10_000,
      firstByteMs: env.OPENAI_FIRST_BYTE_TIMEOUT_MS,
      idleMs: env.OPENAI_IDLE_TIMEOUT_MS,
      totalMs: env.OPENAI_TOTAL_TIMEOUT_MS ?? 0,
    },
  };
});

export type OpenAiConfig = ReturnType<typeof openAiConfig>;
