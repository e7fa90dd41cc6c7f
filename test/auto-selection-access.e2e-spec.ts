import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { authHeaders, chatBody, postChat, startGateway, TestGateway } from './support/gateway';
import { RESILIENCE_CATALOG, UNAVAILABLE, upstreamCalls, upstreamModels } from './support/routing';
import { readJson } from './support/json';

/**
 * A key limited to some models (GATEWAY_KEYS_FILE `models`) keeps to them everywhere: explicit
 * requests, `auto`, and fallback chains. `limited` may use tiny (listed by its alias `fast`)
 * and eye; tiny's fallbacks (big, mid) are out of its reach.
 */
const LIMITED_KEY = 'sk-limited-key-0001';
const OPEN_KEY = 'sk-open-key-0001';

describe('Model access of a limited key', () => {
  let gateway: TestGateway;
  let dir: string;
  const limited = authHeaders(LIMITED_KEY);
  const open = authHeaders(OPEN_KEY);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-keys-'));
    const keysFile = join(dir, 'keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify({
        keys: [
          { id: 'limited', key: LIMITED_KEY, models: ['fast', 'eye'] },
          { id: 'open', key: OPEN_KEY },
        ],
      }),
    );
    gateway = await startGateway({
      MODELS_FILE: RESILIENCE_CATALOG,
      SELECTOR: 'gateway',
      STRAICO_API_KEY: undefined,
      GATEWAY_API_KEYS: undefined,
      GATEWAY_KEYS_FILE: keysFile,
      RETRY_ATTEMPTS: '0',
      CIRCUIT_MIN_CALLS: '100000',
    });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => gateway.upstream.reset());

  it('should refuse an explicit model outside the list, by id or alias, with 403', async () => {
    for (const model of ['big', 'smart', 'mid']) {
      const response = await postChat(gateway, chatBody({ model }), limited);
      expect(response.status).toBe(403);
      expect((await readJson(response)).error).toMatchObject({
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_allowed',
        message: expect.stringContaining(`\`${model}\``),
      });
    }
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });

  it('should accept a model listed by its alias under its id, and the reverse', async () => {
    const byId = await postChat(gateway, chatBody({ model: 'tiny' }), limited);
    const byAlias = await postChat(gateway, chatBody({ model: 'fast' }), limited);

    expect(byId.status).toBe(200);
    expect(byAlias.status).toBe(200);
    expect(upstreamModels(gateway)).toEqual(['tiny-v1', 'tiny-v1']);
  });

  it('should let auto choose among the allowed models only', async () => {
    const limitedQuality = await postChat(gateway, chatBody({ model: 'auto:quality' }), limited);
    const openQuality = await postChat(gateway, chatBody({ model: 'auto:quality' }), open);

    expect(limitedQuality.status).toBe(200);
    expect(limitedQuality.headers.get('x-gateway-selected-model')).toBe('tiny');
    expect(limitedQuality.headers.get('x-gateway-selection-reason')).toContain(
      'excluded 2 not allowed',
    );
    expect(openQuality.headers.get('x-gateway-selected-model')).toBe('big');
    expect(upstreamModels(gateway)).toEqual(['tiny-v1', 'big-v1']);
  });

  it('should not reach for a disallowed model when no allowed one can serve auto', async () => {
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: {} } }];
    const response = await postChat(gateway, chatBody({ model: 'auto', tools }), limited);

    expect(response.status).toBe(400);
    expect((await readJson(response)).error).toMatchObject({
      param: 'tools',
      code: 'no_suitable_model',
    });
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });

  it("should return the primary's error rather than fall back to a disallowed model", async () => {
    gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE);

    const response = await postChat(gateway, chatBody({ model: 'tiny' }), limited);

    expect(response.status).toBe(503);
    expect((await readJson(response)).error.message).toBe('The upstream is overloaded.');
    // The failed route is reported, and no disallowed model was tried after it.
    expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503)');
    expect(upstreamModels(gateway)).toEqual(['tiny-v1']);
  });

  it('should keep auto within the allowed models when its choice fails', async () => {
    gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE);

    const response = await postChat(gateway, chatBody({ model: 'auto' }), limited);

    expect(response.status).toBe(503);
    expect(upstreamCalls(gateway, 'big-v1') + upstreamCalls(gateway, 'mid-v1')).toBe(0);
  });

  it('should fall back as usual for a key without limits', async () => {
    gateway.upstream.enqueueFor('tiny-v1', UNAVAILABLE);

    const response = await postChat(gateway, chatBody({ model: 'tiny' }), open);

    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-selected-model')).toBe('big');
    expect(response.headers.get('x-gateway-fallbacks')).toBe('tiny (503)');
  });
});
