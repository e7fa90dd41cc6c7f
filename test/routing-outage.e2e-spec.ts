import { createFakeOpenAiUpstream, FakeOpenAiUpstream } from './fakes/fake-openai-upstream';
import { chatBody, postChat, startGateway, TestGateway } from './support/gateway';
import { readJson } from './support/json';
import { readiness, RESILIENCE_CATALOG, waitFor } from './support/routing';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';

/**
 * An upstream outage through a loopback switch: the upstream accepts connections but never
 * answers, then comes back. eye has no fallback, so its circuit is the only route.
 */
const UPSTREAM_TIMEOUT_MS = 1000;

describe('Routing: an upstream that hangs, then comes back', () => {
  let upstream: FakeOpenAiUpstream;
  let proxy: TcpProxy;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await createFakeOpenAiUpstream().listen();
    proxy = await startTcpProxy(Number(new URL(upstream.url).port));
    gateway = await startGateway({
      OPENAI_BASE_URL: `http://127.0.0.1:${proxy.port}/v1`,
      MODELS_FILE: RESILIENCE_CATALOG,
      SELECTOR: 'gateway',
      STRAICO_API_KEY: undefined,
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      RETRY_ATTEMPTS: '1',
      RETRY_BASE_MS: '1',
      RETRY_MAX_DELAY_MS: '5',
      CIRCUIT_MIN_CALLS: '2',
      CIRCUIT_HALF_OPEN_AFTER_MS: '3000',
    });
  });
  afterAll(async () => {
    await gateway.close();
    await proxy.close();
    await upstream.close();
  });

  async function timedReadiness() {
    const startedAt = Date.now();
    const health = await readiness(gateway);
    return { ...health, ms: Date.now() - startedAt };
  }

  it('should stay ready, refuse at once once the circuit opens, and notice the recovery without traffic', async () => {
    expect((await postChat(gateway, chatBody({ model: 'eye' }))).status).toBe(200);
    proxy.hang();

    // Readiness never waits on the upstream, and the upstream does not decide it.
    const hanging = await timedReadiness();
    expect(hanging.status).toBe(200);
    expect(hanging.ms).toBeLessThan(UPSTREAM_TIMEOUT_MS);

    // Two requests wait for their timeouts (each retried once) and open the circuit...
    for (let request = 0; request < 2; request++) {
      expect((await postChat(gateway, chatBody({ model: 'eye' }))).status).toBe(504);
    }
    // ...after which requests are refused at once, told when the next probe is due: no
    // connection to the upstream, no timeout waited for.
    const connections = proxy.connections;
    for (let request = 0; request < 5; request++) {
      const startedAt = Date.now();
      const response = await postChat(gateway, chatBody({ model: 'eye' }));
      expect(Date.now() - startedAt).toBeLessThan(UPSTREAM_TIMEOUT_MS);
      expect(proxy.connections).toBe(connections);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await readJson(response)).error.code).toBe('no_provider_available');
    }
    const open = await timedReadiness();
    expect(open.status).toBe(200);
    expect(open.ms).toBeLessThan(UPSTREAM_TIMEOUT_MS);
    expect(open.body.details.routes.circuits).toEqual({ 'openai/eye-v1': expect.any(String) });

    // The upstream is back; nobody sends a request. The breaker's own probe closes the circuit.
    upstream.reset();
    proxy.resume();
    const recovered = await waitFor(
      () => readiness(gateway),
      (health) => Object.keys(health.body.details.routes.circuits).length === 0,
      // A probe may be hanging when the upstream comes back: its timeout, then the next one.
      15_000,
    );
    expect(recovered.status).toBe(200);
    expect(upstream.chatRequests().map((request) => request.model)).toEqual(['eye-v1']);

    const startedAt = Date.now();
    const served = await postChat(gateway, chatBody({ model: 'eye' }));
    expect(served.status).toBe(200);
    expect(Date.now() - startedAt).toBeLessThan(UPSTREAM_TIMEOUT_MS);
  });
});
