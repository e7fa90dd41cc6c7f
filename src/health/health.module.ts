import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { MemoryModule } from '../memory/memory.module';
import { ProvidersModule } from '../providers/providers.module';
import { RoutingModule } from '../routing/routing.module';
import { HealthController } from './health.controller';
import { ProviderHealthIndicator } from './provider-health.indicator';
import { RoutingHealthIndicator } from './routing-health.indicator';

@Module({
  imports: [
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    ProvidersModule,
    RoutingModule,
    MemoryModule,
  ],
  controllers: [HealthController],
  providers: [ProviderHealthIndicator, RoutingHealthIndicator],
})
export class HealthModule {}
