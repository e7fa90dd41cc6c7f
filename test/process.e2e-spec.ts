import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { freePort, useGatewayProcesses, waitFor } from './support/gateway-process';
import { sleep } from './support/gateway';
import { readJson } from './support/json';

const KEY = 'sk-process-test-key-XYZ';
// The W3C Trace Context example trace id.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('the gateway process (dist/main.js)', () => {
  const processes = useGatewayProcesses({
    OPENAI_API_KEY: 'sk-upstream-secret-value',
    GATEWAY_API_KEYS: KEY,
    // As in the in-process suites: opening PGlite costs seconds of CPU (its WebAssembly
    // compiles on the event loop) that would stall these timings; memory has its own suites.
    // SIGTERM has its own file: process-shutdown.e2e-spec.ts.
    MEMORY_ENABLED: 'false',
  });

  it.each([
    ['PORT', { PORT: 'not-a-port' }],
    ['THROTTLE_LIMIT', { THROTTLE_LIMIT: '0' }],
    ['OPENAI_BASE_URL', { OPENAI_BASE_URL: 'not a url' }],
    ['AUTH_DISABLED', { AUTH_DISABLED: 'maybe' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('should exit 1 at boot with a message naming %s when its value is bad', async (name, env) => {
    const gateway = await processes.spawn(env);
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toContain(`${name}=`);
  });

  it('should exit 1 naming the keys file when it cannot be read', async () => {
    const gateway = await processes.spawn({ GATEWAY_KEYS_FILE: '/nonexistent/keys.json' });
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toContain('/nonexistent/keys.json');
  });

  it('should log one JSON line per request with id, key id, model, status and latency, but no key or prompt', async () => {
    const gateway = await processes.start({ LOG_LEVEL: 'info' });
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
    // The line is written when the answer has been sent, which may be just after the client has it.
    await waitFor(() => gateway.stdout().includes(auto.headers.get('x-request-id')!));
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

  /** Resolves once the response has sent its first streamed bytes. */
  it('should log a client that goes away once, at info level, with the time it had run', async () => {
    const gateway = await processes.start({ LOG_LEVEL: 'info' });
    processes.upstream.enqueue({ hang: true });
    const client = new AbortController();
    const request = fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      signal: client.signal,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await waitFor(() => processes.upstream.chatRequests().length === 1);
    client.abort();
    await expect(request).rejects.toThrow();
    await waitFor(() => gateway.stdout().includes('request closed by the client'));
    // A request after it: its line shows the closed one was written whole before.
    expect(
      (await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } }))
        .status,
    ).toBe(200);
    await waitFor(() => gateway.stdout().includes('"path":"/v1/models"'));
    const lines = gateway
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const closed = lines.filter((line) => line.req?.path === '/v1/chat/completions');
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({
      level: 30,
      msg: 'request closed by the client',
      responseTime: expect.any(Number),
    });
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(gateway.stderr()).toBe('');
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
        // Not the checkout's ./data, which a demo the developer runs may be holding.
        DATA_DIR: 'memory://',
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
