import Redis from 'ioredis';

import { untilReady } from './rate-limit-storage';

/** What a reservation found: whether it fits, the tokens counted in the window, and its end. */
export interface BudgetState {
  allowed: boolean;
  used: number;
  resetMs: number;
}

/**
 * Tokens spent per key in fixed windows. `reserve` adds the estimate only if it fits (a window
 * with nothing spent yet always admits one request, however large, as OpenAI does); `adjust`
 * corrects it by the real usage once known, negative deltas included.
 */
export interface TokenBudget {
  reserve(key: string, tokens: number, limit: number, windowMs: number): Promise<BudgetState>;
  adjust(key: string, delta: number, windowMs: number): Promise<void>;
  /** Resolves when the store can take commands (or it is time to stop waiting). */
  ready(): Promise<void>;
  close(): void;
}

interface Window {
  used: number;
  endsAt: number;
}

export class InMemoryTokenBudget implements TokenBudget {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  reserve(key: string, tokens: number, limit: number, windowMs: number): Promise<BudgetState> {
    const window = this.window(key, windowMs);
    const allowed = window.used === 0 || window.used + tokens <= limit;
    if (allowed) {
      window.used += tokens;
    }
    return Promise.resolve({ allowed, used: window.used, resetMs: window.endsAt - this.now() });
  }

  adjust(key: string, delta: number, windowMs: number): Promise<void> {
    const window = this.window(key, windowMs);
    window.used = Math.max(0, window.used + delta);
    return Promise.resolve();
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.windows.clear();
  }

  private window(key: string, windowMs: number): Window {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      // Expired windows are replaced on use; sweeping them is not worth a timer per key.
      window = { used: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    return window;
  }
}

// One round trip, atomic across replicas: read, decide, add, and start the window's expiry.
const RESERVE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local tokens = tonumber(ARGV[1])
local allowed = 0
if used == 0 or used + tokens <= tonumber(ARGV[2]) then
  used = redis.call('INCRBY', KEYS[1], tokens)
  allowed = 1
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
return { allowed, used, ttl }
`;

const ADJUST = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
return used
`;

/** The same windows in Redis, so every replica spends from one budget per key. */
export class RedisTokenBudget implements TokenBudget {
  constructor(
    private readonly client: Redis,
    private readonly readyTimeoutMs: number,
  ) {}

  ready(): Promise<void> {
    return untilReady(this.client, this.readyTimeoutMs);
  }

  async reserve(key: string, tokens: number, limit: number, windowMs: number) {
    const [allowed, used, ttl] = (await this.client.eval(
      RESERVE,
      1,
      `{tpm:${key}}`,
      tokens,
      limit,
      windowMs,
    )) as [number, number, number];
    return { allowed: allowed === 1, used, resetMs: ttl };
  }

  async adjust(key: string, delta: number): Promise<void> {
    if (delta !== 0) {
      await this.client.eval(ADJUST, 1, `{tpm:${key}}`, delta);
    }
  }

  close(): void {
    this.client.disconnect(false);
  }
}
