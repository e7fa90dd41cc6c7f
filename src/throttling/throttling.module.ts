import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';

import { createRateLimitStorage, RATE_LIMIT_STORAGE } from './rate-limit-storage';
import { throttlingConfig } from './throttling.config';
import { TokenLimiter } from './token-limiter.service';

/** The storage is a provider of its own so that its shutdown hook (closing Redis) runs. */
@Module({
  imports: [ConfigModule.forFeature(throttlingConfig)],
  providers: [
    {
      provide: RATE_LIMIT_STORAGE,
      inject: [throttlingConfig.KEY],
      useFactory: (config: ConfigType<typeof throttlingConfig>) => createRateLimitStorage(config),
    },
  ],
  exports: [RATE_LIMIT_STORAGE, ConfigModule],
})
class RateLimitStorageModule {}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [throttlingConfig.KEY, RATE_LIMIT_STORAGE],
      useFactory: (config: ConfigType<typeof throttlingConfig>, storage: ThrottlerStorage) => ({
        throttlers: [{ name: 'default', limit: config.limit, ttl: config.ttlMs }],
        storage,
      }),
    }),
    ConfigModule.forFeature(throttlingConfig),
  ],
  providers: [TokenLimiter],
  // The guard, registered app-wide, reads the fail mode from this config.
  exports: [ThrottlerModule, ConfigModule, TokenLimiter],
})
export class ThrottlingModule {}
