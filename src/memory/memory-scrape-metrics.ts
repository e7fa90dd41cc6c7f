import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

import { MetricsService } from '../metrics/metrics.service';
import { MemoryService } from './memory.service';
import { MemoryWriter } from './memory-writer.service';

/**
 * Memory's own counters, put on the gateway's registry by memory itself so that metrics/ needs
 * to know nothing of memory. They are read when Prometheus scrapes, through collect()
 * callbacks: the request path does nothing for them.
 */
@Injectable()
export class MemoryScrapeMetrics {
  constructor(metrics: MetricsService, memory: MemoryService, writer: MemoryWriter) {
    const registers = [metrics.registry];
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
