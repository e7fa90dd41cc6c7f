import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';

import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';
import { throttlingConfig } from './throttling.config';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ConfigModule.forFeature(throttlingConfig)],
      inject: [throttlingConfig.KEY],
      useFactory: (config: ConfigType<typeof throttlingConfig>) => ({
        throttlers: [{ name: 'default', limit: config.limit, ttl: config.ttlMs }],
        storage: new FixedWindowThrottlerStorage(),
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class ThrottlingModule {}
