import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { metricsConfig } from './metrics.config';
import { MetricsController } from './metrics.controller';
import { MetricsMiddleware } from './metrics.middleware';
import { MetricsService } from './metrics.service';

/**
 * Prometheus metrics at GET /metrics: the registry, the HTTP request instruments and the
 * scrape endpoint. Infrastructure: it imports no feature module. Global, so that any module
 * can inject MetricsService without importing this one; features whose numbers are read at
 * scrape time (memory, routing's circuits) register their own collectors on its registry. The
 * request middleware is mounted as plain Express middleware in app.factory.ts.
 */
@Global()
@Module({
  imports: [ConfigModule.forFeature(metricsConfig)],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsMiddleware],
  exports: [MetricsService, MetricsMiddleware],
})
export class MetricsModule {}
