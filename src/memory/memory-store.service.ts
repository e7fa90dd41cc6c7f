import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { memoryConfig } from './memory.config';
import { MemoryRepository } from './memory.repository';
import { runMigrations } from './migrations';
import { createPgClient, createPgliteClient, PGLITE_IN_MEMORY, SqlClient } from './sql-client';
import { join } from 'node:path';

/** The store could not be reached (or opened); callers go on without memory. */
export class MemoryUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`Memory store unavailable: ${reason}`);
    this.name = 'MemoryUnavailableError';
  }
}

// A pool that cannot connect should fail a request fast, not queue it behind the OS timeout.
const CONNECT_TIMEOUT_MS = 2000;
// After a failed open, requests fail at once for this long instead of each retrying the open.
const REOPEN_BACKOFF_MS = 1000;

/**
 * Opens the store (and applies migrations) in the background after boot and again on demand
 * after a failure: a database that is down at boot must not keep completions from being
 * served, and PGlite's seconds of start-up must not delay listening. Nothing is opened when
 * memory is disabled (PGlite alone costs hundreds of MB).
 */
@Injectable()
export class MemoryStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Memory');
  private opening?: Promise<MemoryRepository>;
  private client?: SqlClient;
  private failedAt = 0;
  private lastFailure = '';

  constructor(@Inject(memoryConfig.KEY) private readonly config: ConfigType<typeof memoryConfig>) {}

  get backend(): string {
    return this.config.databaseUrl === undefined ? 'pglite' : 'postgres';
  }

  /** For readiness details: whether the store is open, being opened, or failed last time. */
  get state(): 'open' | 'opening' | 'unavailable' | 'closed' {
    if (this.client !== undefined) {
      return 'open';
    }
    if (this.opening !== undefined) {
      return 'opening';
    }
    return this.failedAt > 0 ? 'unavailable' : 'closed';
  }

  /** Rejects with MemoryUnavailableError while the store cannot be opened. */
  repository(): Promise<MemoryRepository> {
    if (this.opening === undefined) {
      if (Date.now() - this.failedAt < REOPEN_BACKOFF_MS) {
        return Promise.reject(new MemoryUnavailableError(this.lastFailure));
      }
      this.opening = this.open().catch((error: Error) => {
        this.opening = undefined;
        this.failedAt = Date.now();
        this.lastFailure = error.message;
        this.logger.warn(`could not open the ${this.backend} memory store: ${error.message}`);
        throw new MemoryUnavailableError(error.message);
      });
    }
    return this.opening;
  }

  /** Opens in the background so the first memory request rarely waits, and boot never does. */
  onApplicationBootstrap(): void {
    if (this.config.enabled) {
      this.repository().catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.opening = undefined;
    await client?.close().catch(() => undefined);
  }

  private async open(): Promise<MemoryRepository> {
    const started = Date.now();
    const client = await this.connect();
    try {
      const applied = await runMigrations(client);
      if (applied.length > 0) {
        this.logger.log(`memory schema migrated: ${applied.join(', ')}`);
      }
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
    this.client = client;
    this.logger.log(`memory store open (${this.backend}) in ${Date.now() - started} ms`);
    return new MemoryRepository(client);
  }

  private async connect(): Promise<SqlClient> {
    const { databaseUrl, dataDir } = this.config;
    if (databaseUrl !== undefined) {
      return createPgClient(databaseUrl, { connectionTimeoutMillis: CONNECT_TIMEOUT_MS }, (error) =>
        this.logger.warn(`memory store connection lost: ${error.message}`),
      );
    }
    return createPgliteClient(dataDir === PGLITE_IN_MEMORY ? dataDir : join(dataDir, 'pglite'));
  }
}
