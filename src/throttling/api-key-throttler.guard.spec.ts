import 'reflect-metadata';

import { Controller, Get, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { ThrottlerStorage } from '@nestjs/throttler';

import type { ApiKeyIdentity } from '../auth/api-key.types';
import { GatewayException } from '../common/errors/gateway.exception';
import { Public } from '../common/http/public.decorator';
import { MetricsService } from '../metrics/metrics.service';
import { ApiKeyThrottlerGuard } from './api-key-throttler.guard';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

@Controller()
class RoutesController {
  @Get()
  chat(): void {}

  @Public()
  @Get()
  metrics(): void {}
}

const GLOBAL = { limit: 2, ttl: 60_000 };

interface Exchange {
  request: { apiKey?: ApiKeyIdentity; ip?: string; headers: Record<string, string> };
  headers: Record<string, string | number>;
}

function exchange(apiKey?: ApiKeyIdentity, ip = '203.0.113.7'): Exchange {
  return { request: { apiKey, ip, headers: {} }, headers: {} };
}

async function guardOn(storage: ThrottlerStorage, failMode = 'open') {
  const metrics = new MetricsService();
  const guard = new ApiKeyThrottlerGuard(
    { throttlers: [{ name: 'default', ...GLOBAL }] },
    storage,
    new Reflector(),
  );
  // The two fields Nest injects by property; the fakes are the real config and metrics.
  Object.assign(guard, { throttling: { failMode }, metrics });
  await guard.onModuleInit();
  const pass = (call: Exchange, handler: 'chat' | 'metrics' = 'chat') => {
    const response = {
      setHeader: (name: string, value: string | number) => (call.headers[name] = value),
    };
    const method = (RoutesController.prototype as unknown as Record<string, () => void>)[handler];
    return guard.canActivate(
      new ExecutionContextHost([call.request, response], RoutesController, method),
    );
  };
  return { guard, metrics, pass };
}

async function refusal(attempt: Promise<boolean>) {
  const error: unknown = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayException);
  const refused = error as GatewayException;
  return { status: refused.getStatus(), ...refused.body };
}

describe('ApiKeyThrottlerGuard', () => {
  let now = 1_000_000;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts per key, answers with the remaining budget and refuses past the limit', async () => {
    const { pass, metrics } = await guardOn(new FixedWindowThrottlerStorage(clock));
    const key = { id: 'team-a' };
    const first = exchange(key);
    await expect(pass(first)).resolves.toBe(true);
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit-requests': 2,
      'x-ratelimit-remaining-requests': 1,
    });
    await expect(pass(exchange(key))).resolves.toBe(true);
    const third = exchange(key);
    const refused = await refusal(pass(third));
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(refused.message).toContain('limit 2 per');
    expect(third.headers['x-ratelimit-remaining-requests']).toBe(0);
    expect((await metrics.throttledRequests.get()).values).toEqual([
      expect.objectContaining({ labels: { key: 'team-a' }, value: 1 }),
    ]);
    // Another key has a budget of its own.
    await expect(pass(exchange({ id: 'team-b' }))).resolves.toBe(true);
  });

  it("applies a key's own limit from the keys file over the global one", async () => {
    const { pass } = await guardOn(new FixedWindowThrottlerStorage(clock));
    const generous = { id: 'batch', rateLimit: { limit: 5, ttlMs: 1000 } };
    for (let i = 0; i < 5; i += 1) {
      await expect(pass(exchange(generous))).resolves.toBe(true);
    }
    await expect(refusal(pass(exchange(generous)))).resolves.toMatchObject({ status: 429 });
    now += 1000;
    const later = exchange(generous);
    await expect(pass(later)).resolves.toBe(true);
    expect(later.headers['x-ratelimit-remaining-requests']).toBe(4);
  });

  it('without auth, counts per client IP, and counts no IP as a metrics label', async () => {
    const { pass, metrics } = await guardOn(new FixedWindowThrottlerStorage(clock));
    const anonymous = { id: 'anonymous' };
    await pass(exchange(anonymous, '198.51.100.1'));
    await pass(exchange(anonymous, '198.51.100.1'));
    await expect(pass(exchange(anonymous, '198.51.100.2'))).resolves.toBe(true);
    await expect(refusal(pass(exchange(anonymous, '198.51.100.1')))).resolves.toMatchObject({
      status: 429,
    });
    const labels = (await metrics.throttledRequests.get()).values.map((value) => value.labels);
    expect(labels).toEqual([{ key: 'anonymous' }]);
  });

  it('skips public routes: they spend no budget and get no headers', async () => {
    const { pass } = await guardOn(new FixedWindowThrottlerStorage(clock));
    const key = { id: 'scraper' };
    for (let i = 0; i < 5; i += 1) {
      const scrape = exchange(key);
      await expect(pass(scrape, 'metrics')).resolves.toBe(true);
      expect(scrape.headers).toEqual({});
    }
    await expect(pass(exchange(key))).resolves.toBe(true);
  });

  describe('when the storage fails', () => {
    const broken: ThrottlerStorage = {
      increment: () => Promise.reject(new Error('redis: connection refused')),
    };

    beforeEach(() => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });

    afterEach(() => jest.restoreAllMocks());

    it('fail mode open lets requests through and counts the failures', async () => {
      const { pass, guard } = await guardOn(broken, 'open');
      await expect(pass(exchange({ id: 'k' }))).resolves.toBe(true);
      await expect(pass(exchange({ id: 'k' }))).resolves.toBe(true);
      expect(guard.storageFailures).toBe(2);
    });

    it('fail mode closed refuses with 503 rate_limit_unavailable', async () => {
      const { pass } = await guardOn(broken, 'closed');
      await expect(refusal(pass(exchange({ id: 'k' })))).resolves.toMatchObject({
        status: 503,
        code: 'rate_limit_unavailable',
      });
    });
  });
});
