import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { ChatProvider } from './chat-provider.interface';
import { openAiConfig } from './openai/openai.config';
import { OpenAiProvider } from './openai/openai.provider';
import { ProviderRegistry } from './provider-registry.service';
import { CHAT_PROVIDERS } from './providers.constants';

@Module({
  imports: [ConfigModule.forFeature(openAiConfig)],
  providers: [
    OpenAiProvider,
    {
      provide: CHAT_PROVIDERS,
      inject: [OpenAiProvider],
      useFactory: (...providers: ChatProvider[]): ChatProvider[] => providers,
    },
    ProviderRegistry,
  ],
  exports: [ProviderRegistry],
})
export class ProvidersModule {}
