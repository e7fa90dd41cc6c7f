import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { CircuitBreakers } from '../routing/circuit-breakers.service';

/**
 * Open circuits are shown but never fail readiness: every replica shares the same upstreams,
 * so taking pods out of service for an upstream outage would only turn it into a gateway
 * outage, and the breakers probe the routes by themselves either way.
 */
@Injectable()
export class RoutingHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly breakers: CircuitBreakers,
  ) {}

  check(): HealthIndicatorResult {
    return this.indicators
      .check('routes')
      .up({ routes: this.breakers.knownRoutes, circuits: this.breakers.notClosed() });
  }
}
