import { Module } from '@nestjs/common';

import { ModelSelectorModule } from '../model-selector/model-selector.module';
import { ProvidersModule } from '../providers/providers.module';
import { RoutingModule } from '../routing/routing.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { CompletionsController } from './completions.controller';
import { CompletionResponder } from './completion-responder';
import { CompletionsService } from './completions.service';
import { ModelsController } from './models.controller';

@Module({
  imports: [ModelSelectorModule, ProvidersModule, RoutingModule, ThrottlingModule],
  controllers: [CompletionsController, ModelsController],
  providers: [CompletionsService, CompletionResponder],
  exports: [CompletionResponder, CompletionsService],
})
export class CompletionsModule {}
