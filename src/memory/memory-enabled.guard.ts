import { CanActivate, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { GatewayException } from '../common/errors/gateway.exception';
import { memoryConfig } from './memory.config';

/** Runs after the global auth guard, so a caller without a key learns nothing about memory. */
@Injectable()
export class MemoryEnabledGuard implements CanActivate {
  constructor(@Inject(memoryConfig.KEY) private readonly config: ConfigType<typeof memoryConfig>) {}

  canActivate(): boolean {
    if (!this.config.enabled) {
      throw GatewayException.memoryDisabled();
    }
    return true;
  }
}
