import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Database } from 'better-sqlite3';

import { memoryConfig } from './memory.config';
import { PostgresMemoryRepository } from './memory.repository';
import { MemoryRepository } from './memory.types';
import { runMigrations } from './migrations';
import { loadWordnet } from './bm25/wordnet';
import { PostgresIndex } from './postgres-index';
import { createPgClient, SqlClient } from './sql-client';
import { hasPgliteStore, importPgliteStore, PGLITE_IMPORTED_DIR } from './sqlite/pglite-import';
import { DataDirInUseError, openSqliteDatabase, SQLITE_IN_MEMORY } from './sqlite/sqlite-database';
import { SqliteMemoryRepository } from './sqlite/sqlite-memory.repository';
import { runSqliteMigrations } from './sqlite/sqlite-schema';

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
// Readiness waits this long for the store's answer before calling it unavailable.
const PROBE_TIMEOUT_MS = 1000;

/**
 * Opens the store (and applies migrations) and again on demand after a failure. The embedded
 * SQLite store opens during boot (milliseconds), so a data directory held by another process
 * stops this one from starting; Postgres opens in the background, so a database that is down
 * at boot does not keep completions from being served. Nothing is opened when memory is off.
 */
@Injectable()
export class MemoryStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Memory');
  private opening?: Promise<MemoryRepository>;
  private close?: () => Promise<void>;
  private failedAt = 0;
  private lastFailure = '';

  constructor(@Inject(memoryConfig.KEY) private readonly config: ConfigType<typeof memoryConfig>) {}

  get backend(): 'sqlite' | 'postgres' {
    return this.config.databaseUrl === undefined ? 'sqlite' : 'postgres';
  }

  /**
   * The store's real state for readiness: an open store is asked a trivial query (bounded by
   * PROBE_TIMEOUT_MS), so a lost connection or a failing file shows as `unavailable` with the
   * reason, not as `open`. A closed or failed store is (re)opened, as a request would.
   */
  async probe(): Promise<{ store: string; error?: string }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.repository().then((repository) => repository.ping()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
            PROBE_TIMEOUT_MS,
          );
        }),
      ]);
      return { store: 'open' };
    } catch (error) {
      const reason =
        error instanceof MemoryUnavailableError ? error.reason : (error as Error).message;
      return { store: 'unavailable', error: reason };
    } finally {
      clearTimeout(timer);
    }
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
        throw error instanceof DataDirInUseError
          ? error
          : new MemoryUnavailableError(error.message);
      });
    }
    return this.opening;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.enabled) {
      return;
    }
    const opened = this.repository();
    if (this.backend === 'postgres') {
      opened.catch(() => undefined);
      return;
    }
    // Embedded: another process holding the directory stops this one here, before it listens.
    await opened.catch((error: Error) => {
      if (error instanceof DataDirInUseError) {
        throw error;
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const close = this.close;
    this.close = undefined;
    this.opening = undefined;
    await close?.().catch(() => undefined);
  }

  private async open(): Promise<MemoryRepository> {
    const started = Date.now();
    // Read at boot, not by the first search: the query expansion's database (about 30 MB).
    loadWordnet();
    const repository =
      this.backend === 'postgres' ? await this.openPostgres() : await this.openSqlite();
    this.logger.log(`memory store open (${this.backend}) in ${Date.now() - started} ms`);
    return repository;
  }

  private async openPostgres(): Promise<MemoryRepository> {
    const client: SqlClient = createPgClient(
      this.config.databaseUrl!,
      { connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
      (error) => this.logger.warn(`memory store connection lost: ${error.message}`),
    );
    try {
      this.migrated(await runMigrations(client));
      this.indexed(await PostgresIndex.indexPending(client));
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
    this.close = () => client.close();
    return new PostgresMemoryRepository(client, this.config.searchCandidatePostings);
  }

  private async openSqlite(): Promise<MemoryRepository> {
    const { dataDir } = this.config;
    const db = openSqliteDatabase(dataDir);
    let repository: SqliteMemoryRepository;
    try {
      this.migrated(runSqliteMigrations(db));
      if (dataDir !== SQLITE_IN_MEMORY && hasPgliteStore(dataDir)) {
        await this.importPglite(dataDir, db);
      }
      // Statements are prepared against the migrated schema.
      repository = new SqliteMemoryRepository(db, this.config.searchCandidatePostings);
      this.indexed(repository.index.indexPending());
    } catch (error) {
      db.close();
      throw error;
    }
    this.close = () => Promise.resolve(db.close()).then(() => undefined);
    return repository;
  }

  private async importPglite(dataDir: string, db: Database): Promise<void> {
    this.logger.log(`importing the previous release's PGlite store from ${dataDir}/pglite`);
    const count = await importPgliteStore(dataDir, db).catch((error: Error) => {
      throw new Error(
        `could not import the previous release's store in ${dataDir}/pglite (${error.message}); ` +
          `nothing was imported. Fix the cause and restart, or move ${dataDir}/pglite out of ` +
          'DATA_DIR to start without those memories',
      );
    });
    this.logger.log(
      `imported ${count} memories from ${dataDir}/pglite into SQLite; the old directory is ` +
        `now ${dataDir}/${PGLITE_IMPORTED_DIR} (delete it once you no longer need it)`,
    );
  }

  private indexed(count: number): void {
    if (count > 0) {
      this.logger.log(`memory search index: ${count} memories indexed`);
    }
  }

  private migrated(applied: string[]): void {
    if (applied.length > 0) {
      this.logger.log(`memory schema migrated: ${applied.join(', ')}`);
    }
  }
}
