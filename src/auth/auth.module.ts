import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { authConfig } from './auth.config';

@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  providers: [ApiKeyService, ApiKeyGuard],
  exports: [ApiKeyService, ApiKeyGuard],
})
export class AuthModule {}
