import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { ProvidersModule } from '../providers/providers.module';
import { HealthController } from './health.controller';
import { ProviderHealthIndicator } from './provider-health.indicator';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), ProvidersModule],
  controllers: [HealthController],
  providers: [ProviderHealthIndicator],
})
export class HealthModule {}
