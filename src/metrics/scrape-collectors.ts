import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

import { MemoryService } from '../memory/memory.service';
import { MemoryWriter } from '../memory/memory-writer.service';
import { CircuitBreakers } from '../routing/circuit-breakers.service';
import { MetricsService } from './metrics.service';

const CIRCUIT_VALUES = { half_open: 1, open: 2 } as const;

/**
 * Metrics whose source of truth lives elsewhere (circuit breakers, memory counters) are read
 * when Prometheus scrapes, through collect() callbacks: the request path does nothing for them.
 */
@Injectable()
export class ScrapeCollectors {
  constructor(
    metrics: MetricsService,
    breakers: CircuitBreakers,
    memory: MemoryService,
    writer: MemoryWriter,
  ) {
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
    // The sources count monotonically, so these are counters, set to the source at each scrape.
    new Counter({
      name: 'gateway_memory_unavailable_reads_total',
      help: 'Completions served without memory because the store failed or was too slow.',
      registers,
      collect() {
        this.reset();
        this.inc(memory.counts.unavailableReads);
      },
    });
    new Counter({
      name: 'gateway_memory_dropped_writes_total',
      help: 'Memories given up unwritten (store down too long, queue full, shutdown).',
      registers,
      collect() {
        this.reset();
        this.inc(writer.counts.dropped);
      },
    });
    new Gauge({
      name: 'gateway_memory_pending_writes',
      help: 'Writes waiting for the memory store.',
      registers,
      collect() {
        this.set(writer.pending);
      },
    });
  }
}
