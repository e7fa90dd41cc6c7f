import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { CompletionsModule } from '../completions/completions.module';
import { ProvidersModule } from '../providers/providers.module';
import { MemoryEmbedder } from './memory-embedder.service';
import { MemoryCompletionsController } from './memory-completions.controller';
import { memoryConfig } from './memory.config';
import { MemoryController } from './memory.controller';
import { MemoryEnabledGuard } from './memory-enabled.guard';
import { MemoryService } from './memory.service';
import { MemoryStore } from './memory-store.service';
import { MemoryWriter } from './memory-writer.service';

@Module({
  imports: [ConfigModule.forFeature(memoryConfig), CompletionsModule, ProvidersModule],
  controllers: [MemoryCompletionsController, MemoryController],
  providers: [MemoryStore, MemoryEmbedder, MemoryWriter, MemoryService, MemoryEnabledGuard],
  exports: [MemoryStore, MemoryWriter, MemoryService],
})
export class MemoryModule {}
