import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { CircuitBreakers } from '../routing/circuit-breakers.service';

/**
 * Open circuits are shown, but only fail readiness when every route the gateway has used is
 * open: while one route works, taking the pod out of service would only make things worse.
 */
@Injectable()
export class RoutingHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly breakers: CircuitBreakers,
  ) {}

  check(): HealthIndicatorResult {
    const circuits = this.breakers.notClosed();
    const open = Object.values(circuits).filter((state) => state === 'open').length;
    const indicator = this.indicators.check('routes');
    const details = { routes: this.breakers.knownRoutes, circuits };
    return this.breakers.knownRoutes > 0 && open === this.breakers.knownRoutes
      ? indicator.down({ ...details, message: 'Every route has an open circuit.' })
      : indicator.up(details);
  }
}
