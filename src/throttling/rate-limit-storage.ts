import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';

import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

// One warning per outage and then at most this often, not one per request.
const WARN_EVERY_MS = 30_000;

/**
 * The library's Redis storage (one Lua script: atomic across replicas) on a fail-fast client:
 * while Redis is away the guard applies RATE_LIMIT_FAIL_MODE, and limits come back on their own.
 */
export class RedisRateLimitStorage
  extends ThrottlerStorageRedisService
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly client: Redis;

  private readonly readyTimeoutMs: number;

  constructor(url: string, timeoutMs: number) {
    const client = failFastRedis(url, timeoutMs);
    super(client);
    this.client = client;
    this.readyTimeoutMs = timeoutMs * 4;
  }

  onApplicationBootstrap(): Promise<void> {
    return untilReady(this.client, this.readyTimeoutMs);
  }

  onApplicationShutdown(): void {
    this.client.disconnect(false);
  }
}

/**
 * A client that fails fast: no offline queue and no per-command retries, so while Redis is away
 * a request learns it within `timeoutMs`; it keeps reconnecting in the background.
 */
export function failFastRedis(url: string, timeoutMs: number): Redis {
  const logger = new Logger('RateLimit');
  let warnedAt = 0;
  const client = new Redis(url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  // Without a listener ioredis reports connection errors as unhandled 'error' events.
  client.on('error', (error: Error) => {
    if (Date.now() - warnedAt > WARN_EVERY_MS) {
      warnedAt = Date.now();
      logger.warn(`Redis for rate limits unreachable: ${error.message}`);
    }
  });
  client.on('ready', () => {
    if (warnedAt > 0) {
      warnedAt = 0;
      logger.log('Redis for rate limits is back');
    }
  });
  return client;
}

/**
 * Resolves once the client is connected, or after `timeoutMs` (boot must not wait on a Redis
 * that is down): without an offline queue, commands sent before that would fail.
 */
export function untilReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
    function done() {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    }
  });
}

export function createRateLimitStorage(config: {
  redisUrl?: string;
  redisTimeoutMs: number;
}): ThrottlerStorage {
  return config.redisUrl === undefined
    ? new FixedWindowThrottlerStorage()
    : new RedisRateLimitStorage(config.redisUrl, config.redisTimeoutMs);
}
