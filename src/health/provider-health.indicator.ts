import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { ChatProvider } from '../providers/chat-provider.interface';

const PROBE_TIMEOUT_MS = 3_000;

@Injectable()
export class ProviderHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  async check(provider: ChatProvider): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(`provider:${provider.id}`);
    const startedAt = Date.now();
    try {
      await provider.healthCheck(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      return indicator.up({ latencyMs: Date.now() - startedAt });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  noProvider(): HealthIndicatorResult {
    return this.indicators.check('providers').down({
      message:
        'No upstream provider is configured (set OPENAI_API_KEY, OPENAI_BASE_URL or STRAICO_API_KEY).',
    });
  }
}
