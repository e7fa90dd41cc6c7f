import { createFakeOpenAiUpstream, FakeOpenAiUpstream } from './fakes/fake-openai-upstream';
import { authHeaders, sleep, TEST_KEY, UPSTREAM_KEY } from './support/gateway';
import { GatewayProcess, spawnGateway, waitUntilListening } from './support/gateway-process';
import { freshNamespace, listMemories, memoryApi, postMemoryChat } from './support/memory';
import {
  ask,
  eventually,
  MODELS_FILE,
  SLOW_TIMEOUT_MS,
  storeIsBack,
} from './support/memory-resilience';
import { createPostgresSchema, PostgresSchema, postgresTarget } from './support/postgres';
import { startTcpProxy, TcpProxy } from './support/tcp-proxy';

describe('a turn the store never took back within MEMORY_WRITE_RETRY_MS', () => {
  let schema: PostgresSchema;
  let proxy: TcpProxy;
  let upstream: FakeOpenAiUpstream;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    schema = await createPostgresSchema();
    const target = postgresTarget();
    proxy = await startTcpProxy(target.port, target.host);
    upstream = await createFakeOpenAiUpstream().listen();
  });
  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    await upstream?.close();
    await proxy?.close();
    await schema?.drop();
  });

  it(
    'should be given up on and logged, without the prompt',
    async () => {
      const secret = 'zebra-secret-7731 about my private plans';
      gateway = await spawnGateway({
        OPENAI_BASE_URL: upstream.url,
        OPENAI_API_KEY: UPSTREAM_KEY,
        GATEWAY_API_KEYS: TEST_KEY,
        MEMORY_ENABLED: 'true',
        DATABASE_URL: schema.urlVia(proxy.port),
        MEMORY_WRITE_RETRY_MS: '1500',
        LOG_LEVEL: 'warn',
        MODELS_FILE,
        RETRY_ATTEMPTS: '0',
      });
      await waitUntilListening(gateway);
      expect((await memoryApi(gateway, 'GET', '/namespaces')).status).toBe(200);

      proxy.pause();
      const logged = () => gateway!.stdout() + gateway!.stderr();
      const namespace = freshNamespace('given-up');
      // The fake upstream echoes what follows `echo:`, so the answer carries the secret too.
      const response = await postMemoryChat(
        gateway,
        ask(`echo: ${secret}`),
        { namespace },
        authHeaders(),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-memory-status')).toBe('unavailable');
      await response.text();

      // Loose on wording, but not so loose that the outage warnings ("connection lost",
      // "could not open the store") pass for the turn being given up.
      const notKept =
        /(could not|couldn't|cannot|failed to) (keep|store|save|write)|not (be )?(kept|stored|saved|written)|gave up|giving up|given up|dropped|discarded/i;
      const givenUp = (line: string) => /memor(y|ies)/i.test(line) && notKept.test(line);
      // The retry window is 1.5 s and the backoff is capped at 5 s.
      await eventually(
        'a log line about memories that could not be kept',
        () => Promise.resolve(logged().split('\n').some(givenUp)),
        12000,
      );

      proxy.resume();
      await storeIsBack(gateway);
      await sleep(1000);
      expect(await listMemories(gateway, namespace)).toEqual([]);
      expect(logged()).not.toContain('zebra-secret-7731');

      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
    },
    SLOW_TIMEOUT_MS,
  );
});
