import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { MemoryModule } from '../memory/memory.module';
import { RoutingModule } from '../routing/routing.module';
import { metricsConfig } from './metrics.config';
import { MetricsController } from './metrics.controller';
import { MetricsMiddleware } from './metrics.middleware';
import { MetricsService } from './metrics.service';
import { ScrapeCollectors } from './scrape-collectors';

/**
 * Prometheus metrics at GET /metrics. Global, so that any module (the rate limiter, memory,
 * completions) can inject MetricsService without importing this module. The request middleware
 * is mounted as plain Express middleware in app.factory.ts, not through Nest's consumer.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(metricsConfig), RoutingModule, MemoryModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsMiddleware, ScrapeCollectors],
  exports: [MetricsService, MetricsMiddleware],
})
export class MetricsModule {}
