import { registerAs } from '@nestjs/config';
import { IsOptional, IsString } from 'class-validator';

import { envString, validateEnv } from '../config/validate-env';

class MetricsEnv {
  @IsOptional() @IsString() METRICS_TOKEN?: string;
}

export const metricsConfig = registerAs('metrics', () => {
  const env = validateEnv(MetricsEnv);
  return {
    /** When set, scrapers must send `Authorization: Bearer <token>`; unset, /metrics is open. */
    token: envString(env.METRICS_TOKEN),
  };
});

export type MetricsConfig = ReturnType<typeof metricsConfig>;
