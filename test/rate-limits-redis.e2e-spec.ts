import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createFakeOpenAiUpstream, FakeOpenAiUpstream } from './fakes/fake-openai-upstream';
import {
  freePort,
  GatewayProcess,
  spawnGateway,
  waitUntilListening,
} from './support/gateway-process';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';

const REDIS = { host: '127.0.0.1', port: 6379 };
const LIMIT = 10;

function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(REDIS.port, REDIS.host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('rate limits shared through Redis (two gateway processes)', () => {
  let upstream: FakeOpenAiUpstream;
  let dir: string;
  const running: GatewayProcess[] = [];

  beforeAll(async () => {
    if (!(await redisReachable())) {
      // CI has Redis (.ci/run starts it): failing, not skipping, keeps this from silently not running.
      throw new Error(
        `Redis is not reachable on ${REDIS.host}:${REDIS.port}; start it with ` +
          '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`',
      );
    }
    upstream = await createFakeOpenAiUpstream().listen();
    dir = mkdtempSync(join(tmpdir(), 'gateway-redis-'));
  });

  afterEach(() => {
    for (const gateway of running.splice(0)) {
      gateway.child.kill('SIGKILL');
    }
  });

  afterAll(async () => {
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A key id of its own per test, so counters left in Redis by other runs never count. */
  function keysFile(): { path: string; key: string } {
    const key = `sk-redis-${randomBytes(8).toString('hex')}`;
    const path = join(dir, `keys-${randomBytes(4).toString('hex')}.json`);
    writeFileSync(
      path,
      JSON.stringify({ keys: [{ id: `redis-${randomBytes(6).toString('hex')}`, key }] }),
    );
    return { path, key };
  }

  async function start(env: Record<string, string>): Promise<GatewayProcess> {
    const gateway = await spawnGateway({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: 'sk-upstream',
      MEMORY_ENABLED: 'false',
      LOG_LEVEL: 'silent',
      THROTTLE_LIMIT: String(LIMIT),
      THROTTLE_TTL_MS: '60000',
      ...env,
    });
    running.push(gateway);
    await waitUntilListening(gateway);
    return gateway;
  }

  function get(gateway: GatewayProcess, key: string): Promise<Response> {
    return fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  }

  async function admittedOf(gateways: GatewayProcess[], key: string, total: number) {
    const statuses: number[] = [];
    for (let index = 0; index < total; index += 1) {
      const response = await get(gateways[index % gateways.length], key);
      await response.text();
      statuses.push(response.status);
    }
    return {
      admitted: statuses.filter((status) => status === 200).length,
      limited: statuses.filter((status) => status === 429).length,
    };
  }

  it('should admit one key no more than its limit across both replicas', async () => {
    const { path, key } = keysFile();
    const env = { GATEWAY_KEYS_FILE: path, REDIS_URL: `redis://${REDIS.host}:${REDIS.port}` };
    const gateways = [await start(env), await start(env)];
    expect(await admittedOf(gateways, key, 3 * LIMIT)).toEqual({
      admitted: LIMIT,
      limited: 2 * LIMIT,
    });
  }, 30_000);

  it('should count per replica without REDIS_URL (the control: twice the limit gets through)', async () => {
    const { path, key } = keysFile();
    const gateways = [
      await start({ GATEWAY_KEYS_FILE: path }),
      await start({ GATEWAY_KEYS_FILE: path }),
    ];
    expect(await admittedOf(gateways, key, 3 * LIMIT)).toEqual({
      admitted: 2 * LIMIT,
      limited: LIMIT,
    });
  }, 30_000);

  describe('with Redis unreachable', () => {
    let closedPort: number;

    beforeAll(async () => {
      closedPort = await freePort();
    });

    it('should let requests through with RATE_LIMIT_FAIL_MODE=open (the default), without hanging', async () => {
      const { path, key } = keysFile();
      const gateway = await start({
        GATEWAY_KEYS_FILE: path,
        REDIS_URL: `redis://127.0.0.1:${closedPort}`,
      });
      const started = Date.now();
      const { admitted } = await admittedOf([gateway], key, LIMIT + 2);
      expect(admitted).toBe(LIMIT + 2);
      expect(Date.now() - started).toBeLessThan(5000);
    }, 30_000);

    it('should refuse with 503 rate_limit_unavailable when RATE_LIMIT_FAIL_MODE=closed', async () => {
      const { path, key } = keysFile();
      const gateway = await start({
        GATEWAY_KEYS_FILE: path,
        REDIS_URL: `redis://127.0.0.1:${closedPort}`,
        RATE_LIMIT_FAIL_MODE: 'closed',
      });
      const started = Date.now();
      const response = await get(gateway, key);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: expect.objectContaining({ type: 'server_error', code: 'rate_limit_unavailable' }),
      });
      // Probes are never limited, so the pod stays in service.
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    }, 30_000);
  });

  describe('when Redis goes away and comes back', () => {
    let proxy: TcpProxy;

    beforeAll(async () => {
      proxy = await startTcpProxy(REDIS.port, REDIS.host);
    });

    afterAll(async () => {
      await proxy?.close();
    });

    it('should refuse while it is gone (closed mode) and enforce limits again once it is back', async () => {
      const { path, key } = keysFile();
      const gateway = await start({
        GATEWAY_KEYS_FILE: path,
        REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
        RATE_LIMIT_FAIL_MODE: 'closed',
      });
      expect((await get(gateway, key)).status).toBe(200);

      proxy.pause();
      expect((await get(gateway, key)).status).toBe(503);

      proxy.resume();
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await get(gateway, key)).status;
        if (status === 200) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe(200);
      // The counter in Redis carried on: the limit still holds after the outage.
      const { admitted } = await admittedOf([gateway], key, LIMIT);
      expect(admitted).toBeLessThan(LIMIT);
    }, 30_000);
  });
});
