import { ProviderException } from '../common/errors/provider.exception';
import { CircuitBreakers } from './circuit-breakers.service';

function breakers(minCalls: number, windowMs: number, halfOpenAfterMs = 60_000): CircuitBreakers {
  return new CircuitBreakers({
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
    circuit: { failureRate: 0.5, minCalls, windowMs, halfOpenAfterMs },
  });
}

const upstreamDown = () => Promise.reject(ProviderException.unreachable('openai', 'ECONNREFUSED'));

describe('CircuitBreakers', () => {
  it.each([
    [2, 5_500],
    [3, 13_000],
    [5, 30_000],
  ])('should open after exactly %i failures in a %i ms window', async (minCalls, windowMs) => {
    const circuits = breakers(minCalls, windowMs);
    for (let call = 1; call < minCalls; call++) {
      await expect(circuits.execute('openai/m', upstreamDown)).rejects.toBeInstanceOf(
        ProviderException,
      );
      expect(circuits.isAvailable('openai/m')).toBe(true);
    }
    await expect(circuits.execute('openai/m', upstreamDown)).rejects.toBeInstanceOf(
      ProviderException,
    );
    expect(circuits.isAvailable('openai/m')).toBe(false);
    expect(circuits.notClosed()).toEqual({ 'openai/m': 'open' });
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
      await expect(circuits.execute('openai/m', () => Promise.reject(badRequest))).rejects.toBe(
        badRequest,
      );
    }
    expect(circuits.isAvailable('openai/m')).toBe(true);
  });

  it('should offer an open route again once the half-open delay has passed', async () => {
    const circuits = breakers(2, 10_000, 1_000);
    await circuits.execute('openai/m', upstreamDown).catch(() => undefined);
    await circuits.execute('openai/m', upstreamDown).catch(() => undefined);
    expect(circuits.isAvailable('openai/m')).toBe(false);
    expect(circuits.isAvailable('openai/m', Date.now() + 1_000)).toBe(true);
  });

  it('should forget closed circuits beyond a thousand routes but keep open ones', async () => {
    const circuits = breakers(2, 10_000);
    await circuits.execute('openai/flaky', upstreamDown).catch(() => undefined);
    await circuits.execute('openai/flaky', upstreamDown).catch(() => undefined);
    for (let index = 0; index < 1_200; index++) {
      await circuits.execute(`openai/model-${index}`, () => Promise.resolve(index));
    }
    expect(circuits.knownRoutes).toBeLessThanOrEqual(1_000);
    expect(circuits.notClosed()).toEqual({ 'openai/flaky': 'open' });
  });
});
