import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { ChatProvider } from '../providers/chat-provider.interface';
import { CircuitBreakers } from '../routing/circuit-breakers.service';

/**
 * How a provider's upstream looks from the traffic and probes the circuit breakers have seen.
 * Shown in readiness but never failing it, and never asked live: a readiness probe must not
 * wait on an upstream, and every replica shares the same upstream.
 */
@Injectable()
export class ProviderHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly breakers: CircuitBreakers,
  ) {}

  check(provider: ChatProvider): HealthIndicatorResult {
    const prefix = `${provider.id}/`;
    const openRoutes = Object.keys(this.breakers.notClosed()).filter((route) =>
      route.startsWith(prefix),
    );
    return this.indicators.check(`provider:${provider.id}`).up({ enabled: true, openRoutes });
  }

  noProvider(): HealthIndicatorResult {
    return this.indicators.check('providers').up({
      enabled: false,
      message:
        'No upstream provider is configured (set OPENAI_API_KEY, OPENAI_BASE_URL or STRAICO_API_KEY).',
    });
  }
}
