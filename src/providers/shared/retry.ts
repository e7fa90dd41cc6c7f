import { ProviderException } from '../../common/errors/provider.exception';

export interface RetryPolicy {
  /** Further attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** An upstream asking to wait longer than this is not retried: the client gets its answer. */
  maxRetryAfterMs: number;
}

/**
 * Runs `operation` again on retryable provider failures (429, 5xx, timeouts, refused
 * connections) with exponential backoff and jitter, or the wait the upstream asked for in
 * `retry-after`. Stops early when the caller aborts.
 */
export async function withRetries<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  random: () => number = Math.random,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const delay = attempt < policy.retries ? retryDelayMs(error, attempt, policy, random) : null;
      if (delay === null || signal.aborted) {
        throw error;
      }
      await sleep(delay, signal);
      if (signal.aborted) {
        throw error;
      }
    }
  }
}

/** Milliseconds to wait before the next attempt, or null when this failure is final. */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | null {
  if (!(error instanceof ProviderException) || !error.retryable) {
    return null;
  }
  const asked = retryAfterMs(error.headers);
  if (asked !== null) {
    return asked <= policy.maxRetryAfterMs ? asked : null;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // Jitter keeps many clients that failed together from retrying together.
  return Math.round(ceiling * (0.5 + random() / 2));
}

export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | null {
  const msValue = headers['retry-after-ms']?.trim();
  const ms = Number(msValue);
  if (msValue && Number.isFinite(ms) && ms >= 0) {
    return ms;
  }
  const value = headers['retry-after']?.trim();
  if (!value) {
    return null;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
