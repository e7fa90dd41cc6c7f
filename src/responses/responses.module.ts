import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { CompletionsModule } from '../completions/completions.module';
import { memoryConfig } from '../memory/memory.config';
import { MemoryEnabledGuard } from '../memory/memory-enabled.guard';
import { MemoryModule } from '../memory/memory.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { MemoryResponsesController } from './memory-responses.controller';
import { ResponseStore } from './response-store';
import { responsesConfig } from './responses.config';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

@Module({
  imports: [
    ConfigModule.forFeature(responsesConfig),
    ConfigModule.forFeature(memoryConfig),
    CompletionsModule,
    MemoryModule,
    ThrottlingModule,
  ],
  controllers: [ResponsesController, MemoryResponsesController],
  providers: [ResponseStore, ResponsesService, MemoryEnabledGuard],
})
export class ResponsesModule {}
