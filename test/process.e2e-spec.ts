import { createFakeOpenAiUpstream, FakeOpenAiUpstream } from './fakes/fake-openai-upstream';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import {
  freePort,
  GatewayProcess,
  spawnGateway,
  waitUntilListening,
} from './support/gateway-process';
import { sleep } from './support/gateway';
import { readJson } from './support/json';

const KEY = 'sk-process-test-key-XYZ';
// The W3C Trace Context example trace id.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('the gateway process (dist/main.js)', () => {
  let upstream: FakeOpenAiUpstream;
  const started: GatewayProcess[] = [];

  beforeAll(async () => {
    upstream = await createFakeOpenAiUpstream().listen();
  });
  afterAll(async () => {
    for (const gateway of started) {
      gateway.child.kill('SIGKILL');
    }
    await upstream.close();
  });

  async function boot(env: Record<string, string> = {}): Promise<GatewayProcess> {
    const gateway = await spawnGateway({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-upstream-secret-value',
      GATEWAY_API_KEYS: KEY,
      ...env,
    });
    started.push(gateway);
    return gateway;
  }

  it.each([
    ['PORT', { PORT: 'not-a-port' }],
    ['THROTTLE_LIMIT', { THROTTLE_LIMIT: '0' }],
    ['OPENAI_BASE_URL', { OPENAI_BASE_URL: 'not a url' }],
    ['AUTH_DISABLED', { AUTH_DISABLED: 'maybe' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('should exit 1 at boot with a message naming %s when its value is bad', async (name, env) => {
    const gateway = await boot(env);
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toContain(`${name}=`);
  });

  it('should exit 1 naming the keys file when it cannot be read', async () => {
    const gateway = await boot({ GATEWAY_KEYS_FILE: '/nonexistent/keys.json' });
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toContain('/nonexistent/keys.json');
  });

  it('should log one JSON line per request with id, key id, model, status and latency, but no key or prompt', async () => {
    const gateway = await boot({ LOG_LEVEL: 'info' });
    await waitUntilListening(gateway);
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'my very private prompt' }],
      }),
    });
    expect(response.status).toBe(200);
    await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-wrong-secret-key' },
    });
    const auto = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(auto.status).toBe(200);
    await sleep(200);
    const lines = gateway
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const completed = lines.find(
      (line) => line.req?.path === '/v1/chat/completions' && line.res?.statusCode === 200,
    );
    expect(completed).toMatchObject({
      reqId: response.headers.get('x-request-id'),
      keyId: 'env-key-1',
      model: 'gpt-4o-mini',
      traceId: TRACE_ID,
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(lines.some((line) => line.res?.statusCode === 401)).toBe(true);
    // An auto request is logged under the model that served it.
    const autoLine = lines.find((line) => line.reqId === auto.headers.get('x-request-id'));
    expect(autoLine.model).toBe(auto.headers.get('x-gateway-selected-model'));
    expect(autoLine.model).not.toBe('auto');
    const everything = gateway.stdout() + gateway.stderr();
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('sk-wrong-secret-key');
    expect(everything).not.toContain('sk-upstream-secret-value');
    expect(everything).not.toContain('my very private prompt');
  });

  it('should finish an in-flight stream on SIGTERM, refuse new connections, then exit 0', async () => {
    const gateway = await boot({ SHUTDOWN_GRACE_MS: '10000', LOG_LEVEL: 'warn' });
    await waitUntilListening(gateway);
    upstream.enqueue({ chunks: ['a ', 'b ', 'c ', 'd ', 'e'], chunkDelayMs: 250 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    const reading = response.text();
    await sleep(300);
    gateway.child.kill('SIGTERM');
    await sleep(200);
    await expect(fetch(`${gateway.url}/health/live`)).rejects.toThrow();
    const body = await reading;
    expect(body).toContain('"content":"e"');
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await gateway.exited).toBe(0);
  });

  it('should cut streams that outlive SHUTDOWN_GRACE_MS and still exit 0', async () => {
    const gateway = await boot({ SHUTDOWN_GRACE_MS: '300', LOG_LEVEL: 'warn' });
    await waitUntilListening(gateway);
    upstream.enqueue({ chunks: Array.from({ length: 40 }, (_, i) => `w${i} `), chunkDelayMs: 200 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    const reading = response.text().catch((error: Error) => `cut: ${error.message}`);
    await sleep(300);
    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(3000);
    expect(await reading).not.toContain('[DONE]');
  });
});

describe('npm run demo', () => {
  it('should start the gateway with the fake upstreams and answer the printed curl line and auto', async () => {
    const [port, upstreamPort, straicoPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const demo = spawn(process.execPath, [join(__dirname, '..', 'scripts', 'demo.js')], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DEMO_UPSTREAM_PORT: String(upstreamPort),
        DEMO_STRAICO_PORT: String(straicoPort),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let banner = '';
    demo.stderr.on('data', (data: Buffer) => (banner += data.toString()));
    try {
      const deadline = Date.now() + 15000;
      while (!banner.includes('Ctrl-C') && Date.now() < deadline) {
        await sleep(100);
      }
      const key = /Demo key:\s+(\S+)/.exec(banner)?.[1];
      expect(key).toBeDefined();
      expect(banner).toContain(`http://localhost:${port}/docs`);
      const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Hello!' }],
        }),
      });
      expect(response.status).toBe(200);
      expect((await readJson(response)).choices[0].message.content).toBe(
        'Hello! How can I help you today?',
      );
      const auto = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello!' }] }),
      });
      expect(auto.status).toBe(200);
      expect(auto.headers.get('x-gateway-selection-reason')).toMatch(/selector picked/);
    } finally {
      demo.kill('SIGINT');
    }
  });
});
