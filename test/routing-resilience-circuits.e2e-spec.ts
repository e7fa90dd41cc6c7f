import { chatBody, postChat, startGateway, TestGateway } from './support/gateway';
import {
  readiness,
  RESILIENCE_CATALOG,
  times,
  UNAVAILABLE,
  upstreamCalls,
  waitFor,
} from './support/routing';
import { readJson } from './support/json';

/**
 * Circuit breakers per route (provider model), counting requests rather than attempts: each
 * request here is retried twice on its route, yet counts once. Three requests in the window
 * with more than half failing open a circuit; the breaker probes it every HALF_OPEN_AFTER_MS by
 * itself, with or without traffic.
 */
const HALF_OPEN_AFTER_MS = 2000;
const RETRIES = { RETRY_ATTEMPTS: '2', RETRY_BASE_MS: '1', RETRY_MAX_DELAY_MS: '5' };
const CIRCUIT_ENV = {
  MODELS_FILE: RESILIENCE_CATALOG,
  SELECTOR: 'gateway',
  STRAICO_API_KEY: undefined,
  ...RETRIES,
  CIRCUIT_MIN_CALLS: '3',
  CIRCUIT_FAILURE_RATE: '0.5',
  CIRCUIT_WINDOW_MS: '30000',
  CIRCUIT_HALF_OPEN_AFTER_MS: String(HALF_OPEN_AFTER_MS),
};

/** The breaker's own probes: one-token requests no client sent. */
function probes(gateway: TestGateway, upstreamModel: string): number {
  return gateway.upstream
    .chatRequests()
    .filter(
      (request) =>
        request.model === upstreamModel && request.body?.messages?.[0]?.content === 'ping',
    ).length;
}

describe('Routing: a quiet gateway with the default breaker settings', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      MODELS_FILE: RESILIENCE_CATALOG,
      SELECTOR: 'gateway',
      STRAICO_API_KEY: undefined,
      ...RETRIES,
    });
  });
  afterAll(() => gateway.close());

  it('should stay closed after two failing requests, retried and failed over, and serve everyone else', async () => {
    // Each request tries tiny, then big, then mid, three times each: 18 failed attempts.
    for (const model of ['tiny-v1', 'big-v1', 'mid-v1']) {
      gateway.upstream.enqueueFor(model, ...times(6, UNAVAILABLE));
    }
    for (let request = 0; request < 2; request++) {
      expect((await postChat(gateway, chatBody({ model: 'tiny' }))).status).toBe(503);
    }
    expect(upstreamCalls(gateway, 'tiny-v1')).toBe(6);

    const health = await readiness(gateway);
    expect(health.status).toBe(200);
    expect(health.body.details.routes.circuits).toEqual({});
    for (let request = 0; request < 10; request++) {
      const response = await postChat(gateway, chatBody({ model: 'tiny' }));
      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-fallbacks')).toBeNull();
    }
  });
});

describe('Routing: circuit breakers', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway(CIRCUIT_ENV);
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should count requests, refuse at once while open, and probe the route back without traffic', async () => {
    // eye has no fallback. Two failing requests, three attempts each: still closed.
    gateway.upstream.enqueueFor('eye-v1', ...times(9, UNAVAILABLE));
    for (let request = 0; request < 2; request++) {
      expect((await postChat(gateway, chatBody({ model: 'eye' }))).status).toBe(503);
    }
    expect(upstreamCalls(gateway, 'eye-v1')).toBe(6);
    expect((await readiness(gateway)).body.details.routes.circuits).toEqual({});

    // The third failing request reaches CIRCUIT_MIN_CALLS: open.
    expect((await postChat(gateway, chatBody({ model: 'eye' }))).status).toBe(503);
    const open = await readiness(gateway);
    expect(open.status).toBe(200);
    expect(open.body.details.routes.circuits).toEqual({ 'openai/eye-v1': 'open' });

    // Refused at once, with the time until the next probe; the upstream is not called.
    const refused = await postChat(gateway, chatBody({ model: 'eye' }));
    expect(refused.status).toBe(503);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(HALF_OPEN_AFTER_MS / 1000);
    expect((await readJson(refused)).error).toMatchObject({
      code: 'no_provider_available',
      message: expect.stringContaining('eye (circuit open)'),
    });
    expect(upstreamCalls(gateway, 'eye-v1')).toBe(9);

    // The upstream is back. No client sends anything; the breaker's probe closes the circuit.
    const back = await waitFor(
      () => readiness(gateway),
      (health) => Object.keys(health.body.details.routes.circuits).length === 0,
    );
    expect(back.status).toBe(200);
    expect(upstreamCalls(gateway, 'eye-v1')).toBe(10);
    expect(probes(gateway, 'eye-v1')).toBe(1);

    const served = await postChat(gateway, chatBody({ model: 'eye' }));
    expect(served.status).toBe(200);
    expect((await readJson(served)).model).toBe('eye-v1');
  });

  it('should fail over at once while a route is open, judge routes apart, and probe again after a failed probe', async () => {
    // Three failing requests open tiny; big serves each of them, and its circuit stays closed.
    gateway.upstream.enqueueFor('tiny-v1', ...times(9, UNAVAILABLE));
    for (let request = 0; request < 3; request++) {
      const response = await postChat(gateway, chatBody({ model: 'tiny' }));
      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503)');
    }
    expect((await readiness(gateway)).body.details.routes.circuits).toEqual({
      'openai/tiny-v1': 'open',
    });
    // The first probe will fail too.
    gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE);

    // Straight to big: tiny's upstream is not called.
    for (const model of ['tiny', 'fast']) {
      const response = await postChat(gateway, chatBody({ model }));
      expect(response.status).toBe(200);
      expect((await readJson(response)).model).toBe('big-v1');
      expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (circuit open)');
    }
    // `auto` would pick tiny (the cheapest) but leaves the open circuit out.
    const auto = await postChat(gateway, chatBody({ model: 'auto:cost' }));
    expect(auto.status).toBe(200);
    expect(auto.headers.get('x-gateway-selected-model')).not.toBe('tiny');
    expect(auto.headers.get('x-gateway-selection-reason')).toContain('1 unhealthy');
    expect(upstreamCalls(gateway, 'tiny-v1')).toBe(9);

    // The failed probe leaves the circuit open until the next one.
    await waitFor(
      () => readiness(gateway),
      (health) =>
        probes(gateway, 'tiny-v1') === 1 &&
        health.body.details.routes.circuits['openai/tiny-v1'] === 'open',
    );
    const closed = await waitFor(
      () => readiness(gateway),
      (health) => Object.keys(health.body.details.routes.circuits).length === 0,
    );
    expect(closed.status).toBe(200);
    expect(probes(gateway, 'tiny-v1')).toBe(2);

    const later = await postChat(gateway, chatBody({ model: 'tiny' }));
    expect(later.headers.get('x-gateway-selected-model')).toBe('tiny');
    expect(later.headers.get('x-gateway-fallbacks')).toBeNull();
  });
});
