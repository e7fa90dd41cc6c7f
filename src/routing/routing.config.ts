import { registerAs } from '@nestjs/config';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

import { validateEnv } from '../config/validate-env';

class RoutingEnv {
  @IsOptional() @IsInt() @Min(0) @Max(10) RETRY_ATTEMPTS?: number;
  @IsOptional() @IsInt() @Min(1) RETRY_BASE_MS?: number;
  @IsOptional() @IsInt() @Min(1) RETRY_MAX_DELAY_MS?: number;
  @IsOptional() @IsInt() @Min(0) RETRY_MAX_AFTER_MS?: number;
  // The breaker's sampling needs a rate below 1: "every call failed" is 0.99 and up.
  @IsOptional() @IsNumber() @Min(0.01) @Max(0.99) CIRCUIT_FAILURE_RATE?: number;
  @IsOptional() @IsInt() @Min(1) CIRCUIT_MIN_CALLS?: number;
  @IsOptional() @IsInt() @Min(1000) CIRCUIT_WINDOW_MS?: number;
  @IsOptional() @IsInt() @Min(100) CIRCUIT_HALF_OPEN_AFTER_MS?: number;
}

export const routingConfig = registerAs('routing', () => {
  const env = validateEnv(RoutingEnv);
  return {
    retry: {
      retries: env.RETRY_ATTEMPTS ?? 2,
      baseDelayMs: env.RETRY_BASE_MS ?? 250,
      maxDelayMs: env.RETRY_MAX_DELAY_MS ?? 8_000,
      maxRetryAfterMs: env.RETRY_MAX_AFTER_MS ?? 30_000,
    },
    circuit: {
      failureRate: env.CIRCUIT_FAILURE_RATE ?? 0.5,
      // Requests, not attempts: two failing requests on a quiet gateway must not open a route.
      minCalls: env.CIRCUIT_MIN_CALLS ?? 10,
      windowMs: env.CIRCUIT_WINDOW_MS ?? 30_000,
      halfOpenAfterMs: env.CIRCUIT_HALF_OPEN_AFTER_MS ?? 15_000,
    },
  };
});

export type RoutingConfig = ReturnType<typeof routingConfig>;
