import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';

import { ModelCatalog } from '../catalog/model-catalog';
import { modelSelectorConfig } from './model-selector.config';
import { ModelSelectorService, TOKEN_COUNTER } from './model-selector.service';
import { o200kTokenCounter } from '../tokens/token-counter';

/** The model catalog (MODELS_FILE or the built-in one) and the gateway's `auto` selector. */
@Module({
  imports: [ConfigModule.forFeature(modelSelectorConfig)],
  providers: [
    {
      provide: ModelCatalog,
      inject: [modelSelectorConfig.KEY],
      useFactory: (config: ConfigType<typeof modelSelectorConfig>) =>
        new ModelCatalog(config.models),
    },
    { provide: TOKEN_COUNTER, useValue: o200kTokenCounter },
    ModelSelectorService,
  ],
  exports: [ModelSelectorService, ModelCatalog],
})
export class ModelSelectorModule {}
