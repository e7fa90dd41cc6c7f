import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';

import { CompletionsModule } from '../completions/completions.module';
import { ProvidersModule } from '../providers/providers.module';
import { MemoryEmbedder } from './memory-embedder.service';
import { MemoryHealthIndicator } from './memory-health.indicator';
import { MemoryCompletionsController } from './memory-completions.controller';
import { memoryConfig } from './memory.config';
import { MemoryController } from './memory.controller';
import { MemoryEnabledGuard } from './memory-enabled.guard';
import { MemoryScrapeMetrics } from './memory-scrape-metrics';
import { MemoryManagementService } from './memory-management.service';
import { MemoryRouteService } from './memory-route.service';
import { MemoryService } from './memory.service';
import { MemoryStore } from './memory-store.service';
import { MemoryWriter } from './memory-writer.service';

@Module({
  imports: [
    ConfigModule.forFeature(memoryConfig),
    CompletionsModule,
    ProvidersModule,
    TerminusModule,
  ],
  controllers: [MemoryCompletionsController, MemoryController],
  providers: [
    MemoryStore,
    MemoryEmbedder,
    MemoryWriter,
    MemoryService,
    MemoryEnabledGuard,
    MemoryHealthIndicator,
    MemoryScrapeMetrics,
    MemoryManagementService,
    MemoryRouteService,
  ],
  exports: [MemoryHealthIndicator, MemoryRouteService],
})
export class MemoryModule {}
