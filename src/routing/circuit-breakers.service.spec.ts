import { ProviderException } from '../common/errors/provider.exception';
import { withRetries } from '../providers/shared/retry';
import { CircuitBreakers, RouteProbe } from './circuit-breakers.service';

function breakers(minCalls: number, windowMs: number, halfOpenAfterMs = 60_000): CircuitBreakers {
  return new CircuitBreakers({
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
    circuit: { failureRate: 0.5, minCalls, windowMs, halfOpenAfterMs },
  });
}

const upstreamDown = () => Promise.reject(ProviderException.unreachable('openai', 'ECONNREFUSED'));
const neverProbed: RouteProbe = () => Promise.reject(new Error('no probe expected'));

async function failRequests(circuits: CircuitBreakers, route: string, count: number) {
  for (let request = 0; request < count; request++) {
    await expect(circuits.execute(route, upstreamDown, neverProbed)).rejects.toBeInstanceOf(
      ProviderException,
    );
  }
}

describe('CircuitBreakers', () => {
  afterEach(() => jest.useRealTimers());

  it.each([
    [2, 5_500],
    [3, 13_000],
    [10, 30_000],
  ])(
    'should open after exactly %i failed requests in a %i ms window',
    async (minCalls, windowMs) => {
      const circuits = breakers(minCalls, windowMs);
      await failRequests(circuits, 'openai/m', minCalls - 1);
      expect(circuits.isAvailable('openai/m')).toBe(true);
      await failRequests(circuits, 'openai/m', 1);
      expect(circuits.isAvailable('openai/m')).toBe(false);
      expect(circuits.notClosed()).toEqual({ 'openai/m': 'open' });
      circuits.onModuleDestroy();
    },
  );

  it('should count a request retried twice as one failure, not three', async () => {
    const circuits = breakers(3, 30_000);
    const retry = { retries: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 };
    let attempts = 0;
    const failingRequest = () =>
      withRetries(
        () => {
          attempts++;
          return upstreamDown();
        },
        retry,
        new AbortController().signal,
      );
    for (let request = 0; request < 2; request++) {
      await expect(circuits.execute('openai/m', failingRequest, neverProbed)).rejects.toThrow();
    }
    expect(attempts).toBe(6);
    expect(circuits.isAvailable('openai/m')).toBe(true);
    await expect(circuits.execute('openai/m', failingRequest, neverProbed)).rejects.toThrow();
    expect(circuits.isAvailable('openai/m')).toBe(false);
    circuits.onModuleDestroy();
  });

  it('should judge each route on its own', async () => {
    const circuits = breakers(2, 10_000);
    await failRequests(circuits, 'openai/a', 2);
    expect(circuits.isAvailable('openai/a')).toBe(false);
    expect(circuits.isAvailable('openai/b')).toBe(true);
    await expect(
      circuits.execute('openai/b', () => Promise.resolve('ok'), neverProbed),
    ).resolves.toBe('ok');
    circuits.onModuleDestroy();
  });

  it('should not count caller errors against the upstream', async () => {
    const circuits = breakers(2, 10_000);
    const badRequest = new ProviderException(
      'openai',
      'upstream_error',
      400,
      { message: 'bad', type: 'invalid_request_error', param: null, code: null },
      false,
    );
    for (let call = 0; call < 5; call++) {
      await expect(
        circuits.execute('openai/m', () => Promise.reject(badRequest), neverProbed),
      ).rejects.toBe(badRequest);
    }
    expect(circuits.isAvailable('openai/m')).toBe(true);
  });

  it('should refuse client requests while open and say when the next probe is due', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const circuits = breakers(2, 10_000, 2_000);
    await failRequests(circuits, 'openai/m', 2);
    expect(circuits.isAvailable('openai/m')).toBe(false);
    expect(circuits.retryAfterMs('openai/m')).toBe(2_000);
    jest.setSystemTime(1_001_500);
    expect(circuits.retryAfterMs('openai/m')).toBe(500);
    expect(circuits.retryAfterMs('openai/unknown')).toBe(0);
    circuits.onModuleDestroy();
  });

  it('should probe an open route on schedule without any request, and close when it answers', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const circuits = breakers(2, 10_000, 2_000);
    const probes: number[] = [];
    let upstreamBack = false;
    const probe: RouteProbe = () => {
      probes.push(Date.now());
      return upstreamBack ? Promise.resolve('pong') : upstreamDown();
    };
    for (let request = 0; request < 2; request++) {
      await expect(circuits.execute('openai/m', upstreamDown, probe)).rejects.toThrow();
    }
    await jest.advanceTimersByTimeAsync(1_999);
    expect(probes).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    // The probe failed: open again, the next probe one delay later.
    expect(probes).toEqual([1_002_000]);
    expect(circuits.notClosed()).toEqual({ 'openai/m': 'open' });
    upstreamBack = true;
    await jest.advanceTimersByTimeAsync(2_000);
    expect(probes).toEqual([1_002_000, 1_004_000]);
    expect(circuits.notClosed()).toEqual({});
    expect(circuits.isAvailable('openai/m')).toBe(true);
    // Closed: no more probes.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(probes).toHaveLength(2);
    circuits.onModuleDestroy();
  });

  it('should stop probing when the gateway shuts down', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const circuits = breakers(2, 10_000, 2_000);
    const probe = jest.fn(upstreamDown);
    for (let request = 0; request < 2; request++) {
      await expect(circuits.execute('openai/m', upstreamDown, probe)).rejects.toThrow();
    }
    circuits.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(probe).not.toHaveBeenCalled();
  });

  it('should forget closed circuits beyond a thousand routes but keep open ones', async () => {
    const circuits = breakers(2, 10_000);
    await failRequests(circuits, 'openai/flaky', 2);
    for (let index = 0; index < 1_200; index++) {
      await circuits.execute(`openai/model-${index}`, () => Promise.resolve(index), neverProbed);
    }
    expect(circuits.knownRoutes).toBeLessThanOrEqual(1_000);
    expect(circuits.notClosed()).toEqual({ 'openai/flaky': 'open' });
    circuits.onModuleDestroy();
  });
});
