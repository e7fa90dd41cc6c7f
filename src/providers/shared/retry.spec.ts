import { ProviderException } from '../../common/errors/provider.exception';
import { RetryPolicy, retryAfterMs, retryDelayMs, withRetries } from './retry';

function failure(retryable: boolean, headers: Record<string, string> = {}): ProviderException {
  return new ProviderException(
    'straico',
    'upstream_error',
    retryable ? 502 : 400,
    {
      message: retryable ? 'Straico failed' : 'Straico rejected the request',
      type: retryable ? 'server_error' : 'invalid_request_error',
      param: null,
      code: retryable ? 'upstream_error' : 'upstream_rejected',
    },
    retryable,
    headers,
  );
}

const fastPolicy: RetryPolicy = {
  retries: 3,
  baseDelayMs: 2,
  maxDelayMs: 5,
  maxRetryAfterMs: 30_000,
};

/** An operation failing with the given errors in turn, then answering `value`. */
function failingThen<T>(errors: unknown[], value: T): jest.Mock<Promise<T>, []> {
  const operation = jest.fn<Promise<T>, []>();
  for (const error of errors) {
    operation.mockRejectedValueOnce(error);
  }
  return operation.mockResolvedValue(value);
}

describe('withRetries', () => {
  it('should not call the operation again once the caller aborted during the wait', async () => {
    const controller = new AbortController();
    const operation = jest.fn<Promise<string>, []>().mockImplementation(() => {
      setTimeout(() => controller.abort(), 1);
      return Promise.reject(failure(true));
    });
    await expect(
      withRetries(operation, { ...fastPolicy, baseDelayMs: 50, maxDelayMs: 50 }, controller.signal),
    ).rejects.toBeInstanceOf(ProviderException);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  let controller: AbortController;

  beforeEach(() => {
    controller = new AbortController();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('should return the first answer without retrying', async () => {
    const operation = failingThen([], 'ok');
    await expect(withRetries(operation, fastPolicy, controller.signal)).resolves.toBe('ok');
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('should succeed after retryable failures with one call more than the failures', async () => {
    const operation = failingThen([failure(true), failure(true)], 'ok');
    await expect(withRetries(operation, fastPolicy, controller.signal)).resolves.toBe('ok');
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('should stop after the configured number of retries and throw the last failure', async () => {
    const errors = [failure(true), failure(true), failure(true)];
    const operation = failingThen(errors, 'never');
    await expect(
      withRetries(operation, { ...fastPolicy, retries: 2 }, controller.signal),
    ).rejects.toBe(errors[2]);
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('should not retry at all with zero retries', async () => {
    const error = failure(true);
    const operation = failingThen([error], 'never');
    await expect(
      withRetries(operation, { ...fastPolicy, retries: 0 }, controller.signal),
    ).rejects.toBe(error);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('should never retry a non-retryable provider failure', async () => {
    const error = failure(false);
    const operation = failingThen([error], 'never');
    await expect(withRetries(operation, fastPolicy, controller.signal)).rejects.toBe(error);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('should never retry a plain Error', async () => {
    const error = new TypeError('cannot read properties of undefined');
    const operation = failingThen([error], 'never');
    await expect(withRetries(operation, fastPolicy, controller.signal)).rejects.toBe(error);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('should wait the retry-after seconds the upstream asked for', async () => {
    jest.useFakeTimers();
    const operation = failingThen([failure(true, { 'retry-after': '2' })], 'ok');
    const result = withRetries(operation, fastPolicy, controller.signal);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(operation).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(operation).toHaveBeenCalledTimes(2);
    await expect(result).resolves.toBe('ok');
  });

  it('should wait the retry-after-ms the upstream asked for', async () => {
    jest.useFakeTimers();
    const operation = failingThen([failure(true, { 'retry-after-ms': '750' })], 'ok');
    const result = withRetries(operation, fastPolicy, controller.signal);
    await jest.advanceTimersByTimeAsync(749);
    expect(operation).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
    expect(operation).toHaveBeenCalledTimes(2);
  });

  it('should give up at once when retry-after is longer than maxRetryAfterMs', async () => {
    const error = failure(true, { 'retry-after': '60' });
    const operation = failingThen([error], 'ok');
    const started = Date.now();
    await expect(
      withRetries(operation, { ...fastPolicy, maxRetryAfterMs: 30_000 }, controller.signal),
    ).rejects.toBe(error);
    expect(operation).toHaveBeenCalledTimes(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('should stop waiting when the signal aborts', async () => {
    jest.useFakeTimers();
    const error = failure(true, { 'retry-after': '20' });
    const operation = jest.fn<Promise<string>, []>().mockRejectedValue(error);
    const result = withRetries(operation, fastPolicy, controller.signal);
    const settled = jest.fn();
    result.then(settled, settled);
    await jest.advanceTimersByTimeAsync(100);
    expect(settled).not.toHaveBeenCalled();
    controller.abort();
    await jest.advanceTimersByTimeAsync(0);
    // Settled long before the 20 s retry-after ran out.
    expect(settled).toHaveBeenCalledWith(error);
    await expect(result).rejects.toBe(error);
  });

  it('should not retry when the signal is already aborted', async () => {
    controller.abort();
    const error = failure(true);
    const operation = failingThen([error], 'ok');
    await expect(withRetries(operation, fastPolicy, controller.signal)).rejects.toBe(error);
    expect(operation).toHaveBeenCalledTimes(1);
  });
});

describe('retryDelayMs', () => {
  const policy: RetryPolicy = {
    retries: 10,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    maxRetryAfterMs: 5_000,
  };

  it('should grow exponentially and cap at maxDelayMs', () => {
    const top = () => 1;
    expect(
      [0, 1, 2, 3, 4, 5].map((attempt) => retryDelayMs(failure(true), attempt, policy, top)),
    ).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('should jitter between 50% and 100% of the backoff', () => {
    expect(retryDelayMs(failure(true), 2, policy, () => 0)).toBe(200);
    expect(retryDelayMs(failure(true), 2, policy, () => 0.5)).toBe(300);
    expect(retryDelayMs(failure(true), 2, policy, () => 0.999)).toBe(400);
    for (let i = 0; i < 50; i++) {
      const delay = retryDelayMs(failure(true), 3, policy)!;
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });

  it('should use retry-after instead of the backoff', () => {
    expect(retryDelayMs(failure(true, { 'retry-after': '3' }), 0, policy, () => 0)).toBe(3_000);
  });

  it('should return null when retry-after exceeds maxRetryAfterMs', () => {
    expect(retryDelayMs(failure(true, { 'retry-after': '6' }), 0, policy)).toBeNull();
    expect(retryDelayMs(failure(true, { 'retry-after': '5' }), 0, policy)).toBe(5_000);
  });

  it('should return null for non-retryable failures and plain errors', () => {
    expect(retryDelayMs(failure(false), 0, policy)).toBeNull();
    expect(retryDelayMs(new Error('boom'), 0, policy)).toBeNull();
    expect(retryDelayMs('boom', 0, policy)).toBeNull();
  });
});

describe('retryAfterMs', () => {
  it('should ignore empty retry-after headers', () => {
    expect(retryAfterMs({ 'retry-after': '', 'retry-after-ms': ' ' })).toBeNull();
  });

  const now = Date.UTC(2026, 0, 15, 12, 0, 0);

  it('should read retry-after seconds', () => {
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3_000);
    expect(retryAfterMs({ 'retry-after': '0' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after': '1.5' }, now)).toBe(1_500);
  });

  it('should prefer retry-after-ms', () => {
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '3' }, now)).toBe(250);
  });

  it('should fall back to retry-after when retry-after-ms is garbage', () => {
    expect(retryAfterMs({ 'retry-after-ms': 'soon', 'retry-after': '3' }, now)).toBe(3_000);
  });

  it('should read an HTTP date', () => {
    const inFiveSeconds = new Date(now + 5_000).toUTCString();
    expect(retryAfterMs({ 'retry-after': inFiveSeconds }, now)).toBe(5_000);
  });

  it('should treat an HTTP date in the past as no wait', () => {
    const past = new Date(now - 60_000).toUTCString();
    expect(retryAfterMs({ 'retry-after': past }, now)).toBe(0);
  });

  it('should return null for garbage or no header', () => {
    expect(retryAfterMs({ 'retry-after': 'whenever you like' }, now)).toBeNull();
    expect(retryAfterMs({}, now)).toBeNull();
  });
});
