import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

import { envString, validateEnv } from '../../config/validate-env';
import { STRAICO_PRICING_METHODS, StraicoPricingMethod } from './straico.types';

class StraicoEnv {
  @IsOptional() @IsString() STRAICO_API_KEY?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  STRAICO_BASE_URL?: string;
  @IsOptional() @IsInt() @Min(1000) STRAICO_TIMEOUT_MS?: number;
  @IsOptional() @IsIn(STRAICO_PRICING_METHODS) STRAICO_PRICING_METHOD?: string;
  @IsOptional() @IsInt() @Min(100) @Max(60_000) STRAICO_KEEPALIVE_MS?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10) STRAICO_RETRY_ATTEMPTS?: number;
  @IsOptional() @IsInt() @Min(1) STRAICO_RETRY_BASE_MS?: number;
  @IsOptional() @IsInt() @Min(1000) STRAICO_MODELS_TTL_MS?: number;
}

export const straicoConfig = registerAs('straico', () => {
  const env = validateEnv(StraicoEnv);
  const apiKey = envString(env.STRAICO_API_KEY);
  return {
    apiKey,
    enabled: apiKey !== undefined,
    baseUrl: (envString(env.STRAICO_BASE_URL) ?? 'https://api.straico.com').replace(/\/+$/, ''),
    timeoutMs: env.STRAICO_TIMEOUT_MS ?? 300_000,
    pricingMethod: (env.STRAICO_PRICING_METHOD ?? 'balance') as StraicoPricingMethod,
    keepAliveMs: env.STRAICO_KEEPALIVE_MS ?? 3_000,
    retries: env.STRAICO_RETRY_ATTEMPTS ?? 2,
    retryBaseMs: env.STRAICO_RETRY_BASE_MS ?? 500,
    modelsTtlMs: env.STRAICO_MODELS_TTL_MS ?? 300_000,
  };
});

export type StraicoConfig = ReturnType<typeof straicoConfig>;
