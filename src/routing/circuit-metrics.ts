import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';

import { MetricsService } from '../metrics/metrics.service';
import { CircuitBreakers } from './circuit-breakers.service';

const CIRCUIT_VALUES = { half_open: 1, open: 2 } as const;

/**
 * The circuit breakers' state, put on the gateway's registry by routing itself so that
 * metrics/ needs to know nothing of routing. Read when Prometheus scrapes (collect()), never
 * on the request path.
 */
@Injectable()
export class CircuitMetrics {
  constructor(metrics: MetricsService, breakers: CircuitBreakers) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'gateway_circuit_state',
      help: 'Routes (provider/upstream model) whose circuit is not closed: 1 half-open, 2 open. Closed routes are not listed.',
      labelNames: ['route'] as const,
      registers,
      collect() {
        this.reset();
        for (const [route, state] of Object.entries(breakers.notClosed())) {
          this.set({ route }, CIRCUIT_VALUES[state as keyof typeof CIRCUIT_VALUES] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'gateway_circuits',
      help: 'Circuit breakers the gateway keeps, by state.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const states = Object.values(breakers.notClosed());
        const open = states.filter((state) => state === 'open').length;
        this.set({ state: 'open' }, open);
        this.set({ state: 'half_open' }, states.length - open);
        this.set({ state: 'closed' }, breakers.knownRoutes - states.length);
      },
    });
  }
}
