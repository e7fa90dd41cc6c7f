import {
  GatewayProcess,
  rawConnection,
  useGatewayProcesses,
  waitFor,
  waitUntilRefused,
} from './support/gateway-process';
import { readJson } from './support/json';

const KEY = 'sk-process-test-key-XYZ';

/** SIGTERM on the built gateway (dist/main.js): drain, keep-alive connections, the grace period. */
describe('the gateway process on SIGTERM', () => {
  const processes = useGatewayProcesses({
    OPENAI_API_KEY: 'sk-upstream-secret-value',
    GATEWAY_API_KEYS: KEY,
    // Opening PGlite costs seconds of CPU (its WebAssembly compiles on the event loop) that
    // would stall these timings; memory has its own suites.
    MEMORY_ENABLED: 'false',
  });

  async function firstBytes(response: Response): Promise<() => Promise<string>> {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    return async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            return text;
          }
          text += decoder.decode(value, { stream: true });
        }
      } catch (error) {
        return `${text}\ncut: ${(error as Error).message}`;
      }
    };
  }

  function streamChat(gateway: GatewayProcess): Promise<Response> {
    return fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
  }

  it('should finish an in-flight stream on SIGTERM, refuse new connections, then exit 0', async () => {
    const gateway = await processes.start({ SHUTDOWN_GRACE_MS: '10000', LOG_LEVEL: 'warn' });
    processes.upstream.enqueue({ chunks: ['a ', 'b ', 'c ', 'd ', 'e'], chunkDelayMs: 250 });
    const rest = await firstBytes(await streamChat(gateway));
    gateway.child.kill('SIGTERM');
    await waitUntilRefused(gateway);
    const body = await rest();
    expect(body).toContain('"content":"e"');
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await gateway.exited).toBe(0);
  });

  it('should answer a request on an open keep-alive connection after SIGTERM with connection: close and readiness 503', async () => {
    const gateway = await processes.start({ SHUTDOWN_GRACE_MS: '10000', LOG_LEVEL: 'warn' });
    processes.upstream.enqueue({ chunks: ['a ', 'b ', 'c ', 'd ', 'e'], chunkDelayMs: 250 });
    const connection = await rawConnection(gateway);
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    connection.send(
      'POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\n' +
        `authorization: Bearer ${KEY}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await connection.received('data: ');
    gateway.child.kill('SIGTERM');
    await waitUntilRefused(gateway);
    // The stream is still going; the next request waits behind it on the same connection.
    connection.send('GET /health/ready HTTP/1.1\r\nhost: gateway\r\n\r\n');
    const exchange = await connection.closed;
    const [stream, ready] = exchange.split(/(?=HTTP\/1\.1 )/);
    expect(stream).toMatch(/^HTTP\/1\.1 200/);
    expect(stream).toContain('data: [DONE]');
    expect(ready).toMatch(/^HTTP\/1\.1 503/);
    expect(ready.toLowerCase()).toContain('connection: close');
    expect(ready).toContain('"draining"');
    expect(await gateway.exited).toBe(0);
  });

  it('should cut streams that outlive SHUTDOWN_GRACE_MS with an error event and still exit 0', async () => {
    const gateway = await processes.start({ SHUTDOWN_GRACE_MS: '300', LOG_LEVEL: 'warn' });
    processes.upstream.enqueue({
      chunks: Array.from({ length: 40 }, (_, i) => `w${i} `),
      chunkDelayMs: 200,
    });
    const rest = await firstBytes(await streamChat(gateway));
    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(3000);
    const body = await rest();
    expect(body).not.toContain('[DONE]');
    expect(body).toContain('"code":"server_shutting_down"');
  });

  it('should answer a request that outlives SHUTDOWN_GRACE_MS with 503 server_shutting_down and exit 0', async () => {
    const gateway = await processes.start({ SHUTDOWN_GRACE_MS: '300', LOG_LEVEL: 'warn' });
    processes.upstream.enqueue({ hang: true });
    const answer = fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await waitFor(() => processes.upstream.chatRequests().length === 1);
    gateway.child.kill('SIGTERM');
    const response = await answer;
    expect(response.status).toBe(503);
    expect((await readJson(response)).error.code).toBe('server_shutting_down');
    expect(await gateway.exited).toBe(0);
    // The upstream call was given up, not left to run.
    await waitFor(() => processes.upstream.chatRequests()[0].aborted);
  });
});
