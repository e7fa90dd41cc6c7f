import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';

import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthModule } from './auth/auth.module';
import { OpenAiExceptionFilter } from './common/errors/openai-exception.filter';
import { createOpenAiValidationPipe } from './common/validation/openai-validation.pipe';
import { CompletionsModule } from './completions/completions.module';
import { appConfig } from './config/app.config';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { LoggingModule } from './logging/logging.module';
import { MemoryModule } from './memory/memory.module';
import { MetricsModule } from './metrics/metrics.module';
import { ResponsesModule } from './responses/responses.module';
import { ApiKeyThrottlerGuard } from './throttling/api-key-throttler.guard';
import { ThrottlingModule } from './throttling/throttling.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, ignoreEnvFile: true, load: [appConfig] }),
    LoggingModule,
    LifecycleModule,
    MetricsModule,
    AuthModule,
    ThrottlingModule,
    CompletionsModule,
    MemoryModule,
    ResponsesModule,
    HealthModule,
  ],
  // Order matters: guards run as listed, so auth decides before a request spends any budget.
  providers: [
    { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
    { provide: APP_PIPE, useFactory: createOpenAiValidationPipe },
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
  ],
})
export class AppModule {}
