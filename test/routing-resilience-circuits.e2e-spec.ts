import { chatBody, postChat, sleep, startGateway, TestGateway } from './support/gateway';
import { readiness, RESILIENCE_CATALOG, UNAVAILABLE, upstreamCalls } from './support/routing';
import { readJson } from './support/json';

/**
 * Circuit breakers per provider model. Two calls in the window with more than half failing open
 * a circuit; it lets one probe through HALF_OPEN_AFTER_MS later. No retries, so every upstream
 * call is one the breaker counts.
 */
const HALF_OPEN_AFTER_MS = 1000;
const CIRCUIT_ENV = {
  MODELS_FILE: RESILIENCE_CATALOG,
  SELECTOR: 'gateway',
  STRAICO_API_KEY: undefined,
  RETRY_ATTEMPTS: '0',
  CIRCUIT_MIN_CALLS: '2',
  CIRCUIT_FAILURE_RATE: '0.5',
  CIRCUIT_WINDOW_MS: '5000',
  CIRCUIT_HALF_OPEN_AFTER_MS: String(HALF_OPEN_AFTER_MS),
};

describe('Routing: circuit breakers', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway(CIRCUIT_ENV);
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should open on failures, skip the model while open, then probe it and close', async () => {
    // Two failures of tiny: both requests are still served by its fallback, big.
    gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE, UNAVAILABLE);
    for (let i = 0; i < 2; i++) {
      const response = await postChat(gateway, chatBody({ model: 'tiny' }));
      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503)');
    }
    expect(upstreamCalls(gateway, 'tiny-v1')).toBe(2);

    // Open: tiny's upstream is not called at all, big answers at once.
    gateway.upstream.reset();
    for (const model of ['tiny', 'fast']) {
      const response = await postChat(gateway, chatBody({ model }));
      expect(response.status).toBe(200);
      expect((await readJson(response)).model).toBe('big-v1');
      expect(response.headers.get('x-gateway-selected-model')).toBe('big');
      expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (circuit open)');
    }
    // `auto` would pick tiny (the cheapest) but leaves the open circuit out.
    const auto = await postChat(gateway, chatBody({ model: 'auto:cost' }));
    expect(auto.status).toBe(200);
    expect(auto.headers.get('x-gateway-selected-model')).not.toBe('tiny');
    expect(auto.headers.get('x-gateway-selection-reason')).toContain('1 unhealthy');
    expect(upstreamCalls(gateway, 'tiny-v1')).toBe(0);

    // Readiness shows the open route but stays up: big still works.
    const open = await readiness(gateway);
    expect(open.status).toBe(200);
    expect(open.body.details.routes.status).toBe('up');
    expect(open.body.details.routes.circuits).toEqual({ 'openai/tiny-v1': 'open' });

    // After the delay one probe goes to tiny; it succeeds and the circuit closes.
    await sleep(HALF_OPEN_AFTER_MS + 100);
    const probe = await postChat(gateway, chatBody({ model: 'tiny' }));
    expect(probe.status).toBe(200);
    expect((await readJson(probe)).model).toBe('tiny-v1');
    expect(probe.headers.get('x-gateway-selected-model')).toBe('tiny');
    expect(probe.headers.get('x-gateway-fallbacks')).toBeNull();
    expect(upstreamCalls(gateway, 'tiny-v1')).toBe(1);
    expect((await readiness(gateway)).body.details.routes.circuits).toEqual({});

    const later = await postChat(gateway, chatBody({ model: 'tiny' }));
    expect(later.headers.get('x-gateway-selected-model')).toBe('tiny');
    expect(upstreamCalls(gateway, 'tiny-v1')).toBe(2);
  });

  it('should keep the circuit open for another delay when the probe fails', async () => {
    // eye has no fallback: its failures reach the client.
    gateway.upstream.enqueueFor('eye-v1', UNAVAILABLE, UNAVAILABLE, UNAVAILABLE);
    for (let i = 0; i < 2; i++) {
      expect((await postChat(gateway, chatBody({ model: 'eye' }))).status).toBe(503);
    }
    const open = await postChat(gateway, chatBody({ model: 'eye' }));
    expect(open.status).toBe(503);
    expect((await readJson(open)).error).toMatchObject({
      code: 'no_provider_available',
      message: expect.stringContaining('eye (circuit open)'),
    });
    expect(upstreamCalls(gateway, 'eye-v1')).toBe(2);

    await sleep(HALF_OPEN_AFTER_MS + 100);
    const probe = await postChat(gateway, chatBody({ model: 'eye' }));
    expect(probe.status).toBe(503);
    expect((await readJson(probe)).error.message).toBe('The upstream is overloaded.');
    expect(upstreamCalls(gateway, 'eye-v1')).toBe(3);

    const reopened = await postChat(gateway, chatBody({ model: 'eye' }));
    expect((await readJson(reopened)).error.code).toBe('no_provider_available');
    expect(upstreamCalls(gateway, 'eye-v1')).toBe(3);
    const health = await readiness(gateway);
    expect(health.body.details.routes.circuits['openai/eye-v1']).toBe('open');
    // Other routes (tiny, big) are known and closed: still ready.
    expect(health.status).toBe(200);
  });
});

describe('Routing: every circuit open', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway(CIRCUIT_ENV);
  });
  afterAll(() => gateway.close());

  it('should answer 503 and fail readiness only once every known route is open', async () => {
    // mid has no fallback; it is the only route this gateway has used.
    gateway.upstream.enqueueFor('mid-v1', UNAVAILABLE, UNAVAILABLE);
    expect((await readiness(gateway)).status).toBe(200);

    expect((await postChat(gateway, chatBody({ model: 'mid' }))).status).toBe(503);
    const halfway = await readiness(gateway);
    expect(halfway.status).toBe(200);
    expect(halfway.body.details.routes.circuits).toEqual({});

    expect((await postChat(gateway, chatBody({ model: 'mid' }))).status).toBe(503);
    const down = await readiness(gateway);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    expect(down.body.details.routes).toMatchObject({
      status: 'down',
      routes: 1,
      circuits: { 'openai/mid-v1': 'open' },
    });

    const response = await postChat(gateway, chatBody({ model: 'mid' }));
    expect(response.status).toBe(503);
    expect((await readJson(response)).error).toMatchObject({
      type: 'server_error',
      code: 'no_provider_available',
      message: expect.stringContaining('mid (circuit open)'),
    });
    expect(upstreamCalls(gateway, 'mid-v1')).toBe(2);
  });
});
