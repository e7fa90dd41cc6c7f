import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { MetricsService } from '../metrics/metrics.service';
import { memoryConfig } from './memory.config';
import { MemoryEmbedder } from './memory-embedder.service';
import { MemoryStore } from './memory-store.service';
import { AddResult, MemoryRepository, NewMemory } from './memory.types';
import { MemoryScope } from './namespace';
import { rejectedForData } from './store-errors';

interface PendingWrite {
  scope: MemoryScope;
  items: NewMemory[];
  requestId?: string;
  queuedAt: number;
  attempts: number;
  embedded?: boolean;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;
// Writes committed together: one transaction (one fsync on Postgres) for many completions.
const BATCH_WRITES = 64;
// On shutdown, pending turns get this long to reach the store before they are reported lost.
const SHUTDOWN_FLUSH_MS = 5000;

/**
 * Writes completed turns after the response, never in its way, in batches of up to
 * BATCH_WRITES per transaction. A write the store refuses for its data is dropped at once
 * (logged and counted) and the others go on: a batch that fails that way is retried one write
 * at a time, so one bad turn costs only itself. Only outages (store unreachable or busy) hold
 * the queue: then turns wait in a bounded queue and are retried with backoff for
 * MEMORY_WRITE_RETRY_MS. Turns given up are logged with where they belonged, never their text.
 */
@Injectable()
export class MemoryWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Memory');
  private readonly queue: PendingWrite[] = [];
  private draining = false;
  private retryTimer?: NodeJS.Timeout;
  private idleWaiters: Array<() => void> = [];
  readonly counts = { written: 0, duplicates: 0, retried: 0, rejected: 0, dropped: 0 };

  constructor(
    private readonly store: MemoryStore,
    private readonly embedder: MemoryEmbedder,
    @Inject(memoryConfig.KEY) private readonly config: ConfigType<typeof memoryConfig>,
    private readonly metrics: MetricsService,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  enqueue(scope: MemoryScope, items: NewMemory[], requestId?: string): void {
    if (items.length === 0) {
      return;
    }
    this.queue.push({ scope, items, requestId, queuedAt: Date.now(), attempts: 0 });
    while (this.queue.length > this.config.writeQueueMax) {
      this.giveUp(this.queue.shift()!, 'the write queue is full');
    }
    if (this.retryTimer === undefined) {
      setImmediate(() => void this.drain());
    }
  }

  /** Resolves once nothing is waiting to be written (or after `timeoutMs`). */
  async idle(timeoutMs: number): Promise<void> {
    if (this.queue.length === 0) {
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.queue.length > 0) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      void this.drain();
      await this.idle(SHUTDOWN_FLUSH_MS);
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const write of this.queue.splice(0)) {
      this.giveUp(write, 'the gateway shut down');
    }
  }

  private async drain(): Promise<void> {
    if (this.draining) {
      return;
    }
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, BATCH_WRITES);
        try {
          const repository = await this.store.repository();
          await Promise.all(batch.map((write) => this.addEmbeddings(write)));
          await this.writeBatch(repository, batch);
        } catch (error) {
          this.retryLater(this.queue[0], error as Error);
          return;
        }
      }
      this.idleWaiters.splice(0).forEach((wake) => wake());
    } finally {
      this.draining = false;
    }
  }

  /** Writes the batch (the head of the queue) and takes it off; throws on an outage. */
  private async writeBatch(repository: MemoryRepository, batch: PendingWrite[]): Promise<void> {
    let results: AddResult[];
    try {
      results = await repository.addBatch(
        batch.map((write) => ({ ...write.scope, items: write.items })),
      );
    } catch (error) {
      if (batch.length === 1 || !rejectedForData(error)) {
        if (rejectedForData(error)) {
          this.queue.shift();
          this.reject(batch[0], error as Error);
          return;
        }
        throw error;
      }
      // Some write in the batch is bad: one at a time, so only that one is lost.
      for (const write of batch) {
        await this.writeBatch(repository, [write]);
      }
      return;
    }
    this.queue.splice(0, batch.length);
    for (const result of results) {
      this.counts.written += result.inserted.length;
      this.counts.duplicates += result.skipped;
      this.metrics.memoryWritten('written', result.inserted.length);
      this.metrics.memoryWritten('duplicate', result.skipped);
    }
  }

  private retryLater(write: PendingWrite, error: Error): void {
    write.attempts += 1;
    if (Date.now() - write.queuedAt >= this.config.writeRetryMs) {
      this.queue.shift();
      this.giveUp(write, error.message);
      setImmediate(() => void this.drain());
      return;
    }
    this.counts.retried += 1;
    const delay = Math.min(FIRST_RETRY_MS * 2 ** (write.attempts - 1), MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, delay);
    this.retryTimer.unref();
  }

  /** Once per write, not per retry: the vectors do not change while the store is down. */
  private async addEmbeddings(write: PendingWrite): Promise<void> {
    if (!write.embedded) {
      write.embedded = true;
      write.items = await this.embedder.withEmbeddings(write.items);
    }
  }

  private reject(write: PendingWrite, error: Error): void {
    this.counts.rejected += write.items.length;
    this.metrics.memoryWritten('rejected', write.items.length);
    this.logger.error(
      `the store rejected ${write.items.length} memories of namespace "${write.scope.namespace}" ` +
        `(tenant ${write.scope.tenant}, request ${write.requestId ?? 'none'}); dropped, not ` +
        `retried: ${describe(error)}`,
    );
  }

  private giveUp(write: PendingWrite, reason: string): void {
    this.counts.dropped += write.items.length;
    this.metrics.memoryWritten('given_up', write.items.length);
    this.logger.error(
      `could not keep ${write.items.length} memories of namespace "${write.scope.namespace}" ` +
        `(tenant ${write.scope.tenant}, request ${write.requestId ?? 'none'}, ` +
        `${write.attempts} attempts): ${reason}`,
    );
  }
}

/**
 * The reason without the data: drivers may quote the offending value in the message, so only
 * the error's code and class are logged.
 */
function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}
