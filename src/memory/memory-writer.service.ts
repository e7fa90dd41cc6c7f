import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { memoryConfig } from './memory.config';
import { MemoryEmbedder } from './memory-embedder.service';
import { MemoryStore } from './memory-store.service';
import { NewMemory } from './memory.types';
import { MemoryScope } from './namespace';

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
// On shutdown, pending turns get this long to reach the store before they are reported lost.
const SHUTDOWN_FLUSH_MS = 5000;

/**
 * Writes completed turns after the response, never in its way. While the store is down the
 * turns wait in a bounded queue and are retried with backoff for MEMORY_WRITE_RETRY_MS; turns
 * given up (too old, queue full, shutdown) are logged with where they belonged, never their text.
 */
@Injectable()
export class MemoryWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Memory');
  private readonly queue: PendingWrite[] = [];
  private draining = false;
  private retryTimer?: NodeJS.Timeout;
  private idleWaiters: Array<() => void> = [];
  readonly counts = { written: 0, duplicates: 0, retried: 0, dropped: 0 };

  constructor(
    private readonly store: MemoryStore,
    private readonly embedder: MemoryEmbedder,
    @Inject(memoryConfig.KEY) private readonly config: ConfigType<typeof memoryConfig>,
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
      this.drop(this.queue.shift()!, 'the write queue is full');
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
      this.drop(write, 'the gateway shut down');
    }
  }

  private async drain(): Promise<void> {
    if (this.draining) {
      return;
    }
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const write = this.queue[0];
        try {
          const repository = await this.store.repository();
          await this.addEmbeddings(write);
          const result = await repository.add(
            write.scope.tenant,
            write.scope.namespace,
            write.items,
          );
          this.counts.written += result.inserted.length;
          this.counts.duplicates += result.skipped;
          this.queue.shift();
        } catch (error) {
          write.attempts += 1;
          if (Date.now() - write.queuedAt >= this.config.writeRetryMs) {
            this.queue.shift();
            this.drop(write, (error as Error).message);
            continue;
          }
          this.counts.retried += 1;
          const delay = Math.min(FIRST_RETRY_MS * 2 ** (write.attempts - 1), MAX_RETRY_MS);
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            void this.drain();
          }, delay);
          this.retryTimer.unref();
          return;
        }
      }
      this.idleWaiters.splice(0).forEach((wake) => wake());
    } finally {
      this.draining = false;
    }
  }

  /** Once per write, not per retry: the vectors do not change while the store is down. */
  private async addEmbeddings(write: PendingWrite): Promise<void> {
    if (!write.embedded) {
      write.embedded = true;
      write.items = await this.embedder.withEmbeddings(write.items);
    }
  }

  private drop(write: PendingWrite, reason: string): void {
    this.counts.dropped += write.items.length;
    this.logger.error(
      `could not keep ${write.items.length} memories of namespace "${write.scope.namespace}" ` +
        `(tenant ${write.scope.tenant}, request ${write.requestId ?? 'none'}, ` +
        `${write.attempts} attempts): ${reason}`,
    );
  }
}
