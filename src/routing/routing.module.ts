import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { ModelSelectorModule } from '../model-selector/model-selector.module';
import { ProvidersModule } from '../providers/providers.module';
import { CircuitBreakers } from './circuit-breakers.service';
import { CircuitMetrics } from './circuit-metrics';
import { RoutePlanner } from './route-planner.service';
import { routingConfig } from './routing.config';

/**
 * From a request's `model` to ordered routes (planner) and their health (circuit breakers, whose
 * state routing itself puts on the metrics registry).
 */
@Module({
  imports: [ConfigModule.forFeature(routingConfig), ProvidersModule, ModelSelectorModule],
  providers: [CircuitBreakers, CircuitMetrics, RoutePlanner],
  exports: [CircuitBreakers, RoutePlanner, ConfigModule],
})
export class RoutingModule {}
