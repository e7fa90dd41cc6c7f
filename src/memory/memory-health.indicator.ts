import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { memoryConfig } from './memory.config';
import { MemoryService } from './memory.service';
import { MemoryStore } from './memory-store.service';
import { MemoryWriter } from './memory-writer.service';

/**
 * Shows the memory store's real state in readiness (see MemoryStore.probe) but never fails it: completions are served without
 * memory while the store is down, so taking the pod out of service would only lose them too.
 */
@Injectable()
export class MemoryHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly store: MemoryStore,
    private readonly writer: MemoryWriter,
    private readonly memory: MemoryService,
    @Inject(memoryConfig.KEY) private readonly config: ConfigType<typeof memoryConfig>,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('memory');
    if (!this.config.enabled) {
      return indicator.up({ enabled: false });
    }
    return indicator.up({
      backend: this.store.backend,
      ...(await this.store.probe()),
      pendingWrites: this.writer.pending,
      writtenMemories: this.writer.counts.written,
      rejectedMemories: this.writer.counts.rejected,
      droppedMemories: this.writer.counts.dropped,
      unavailableReads: this.memory.counts.unavailableReads,
    });
  }
}
