import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import { validateEnv } from './validate-env';

class AppEnv {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @Matches(/^\d+(b|kb|mb|gb)?$/i, { message: 'must look like 10mb, 512kb or 1048576' })
  BODY_LIMIT?: string;
  @IsOptional() @IsInt() @Min(0) SHUTDOWN_GRACE_MS?: number;
  @IsOptional() @IsInt() @Min(1) UPSTREAM_TIMEOUT_MS?: number;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @IsOptional() @IsString() DEFAULT_MODEL?: string;
}

export const appConfig = registerAs('app', () => {
  const env = validateEnv(AppEnv);
  return {
    port: env.PORT ?? 3000,
    host: env.HOST ?? '0.0.0.0',
    bodyLimit: env.BODY_LIMIT ?? '10mb',
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? 25_000,
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS ?? 300_000,
    logLevel: env.LOG_LEVEL ?? 'info',
    defaultModel: env.DEFAULT_MODEL ?? 'gpt-4o-mini',
  };
});

export type AppConfig = ReturnType<typeof appConfig>;
