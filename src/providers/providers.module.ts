import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { ChatProvider } from './chat-provider.interface';
import { openAiConfig } from './openai/openai.config';
import { OpenAiProvider } from './openai/openai.provider';
import { ProviderRegistry } from './provider-registry.service';
import { CHAT_PROVIDERS } from './providers.constants';
import { straicoConfig } from './straico/straico.config';
import { StraicoProvider } from './straico/straico.provider';

@Module({
  imports: [ConfigModule.forFeature(openAiConfig), ConfigModule.forFeature(straicoConfig)],
  providers: [
    OpenAiProvider,
    StraicoProvider,
    {
      provide: CHAT_PROVIDERS,
      inject: [OpenAiProvider, StraicoProvider],
      useFactory: (...providers: ChatProvider[]): ChatProvider[] => providers,
    },
    ProviderRegistry,
  ],
  exports: [ProviderRegistry],
})
export class ProvidersModule {}
