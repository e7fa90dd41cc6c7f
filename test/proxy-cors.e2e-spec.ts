import { CORS_EXPOSED_HEADERS } from '../src/app.factory';
import { authHeaders, chatBody, postChat, startGateway, TestGateway } from './support/gateway';

/**
 * With auth off, requests are rate-limited per client IP: which IP that is tells whether the
 * gateway believed X-Forwarded-For. Every request here comes from 127.0.0.1.
 */
describe('TRUST_PROXY', () => {
  let gateway: TestGateway | undefined;
  afterEach(() => gateway?.close());

  async function boot(trustProxy: string | undefined): Promise<TestGateway> {
    gateway = await startGateway({
      TRUST_PROXY: trustProxy,
      AUTH_DISABLED: 'true',
      GATEWAY_API_KEYS: undefined,
      THROTTLE_LIMIT: '1',
    });
    return gateway;
  }

  function postFrom(target: TestGateway, forwardedFor: string): Promise<number> {
    return postChat(target, chatBody(), {
      'content-type': 'application/json',
      'x-forwarded-for': forwardedFor,
    }).then((response) => response.status);
  }

  it('should ignore X-Forwarded-For by default, so a client cannot pick its own budget', async () => {
    const target = await boot(undefined);
    expect(await postFrom(target, '203.0.113.1')).toBe(200);
    expect(await postFrom(target, '203.0.113.2')).toBe(429);
  });

  it('should key limits by the forwarded client IP with TRUST_PROXY=true', async () => {
    const target = await boot('true');
    expect(await postFrom(target, '203.0.113.1')).toBe(200);
    expect(await postFrom(target, '203.0.113.1')).toBe(429);
    expect(await postFrom(target, '203.0.113.2')).toBe(200);
  });

  it('should believe only the nearest hop with TRUST_PROXY=1, whatever the client prepends', async () => {
    const target = await boot('1');
    expect(await postFrom(target, '198.51.100.1, 203.0.113.7')).toBe(200);
    expect(await postFrom(target, '198.51.100.2, 203.0.113.7')).toBe(429);
    expect(await postFrom(target, '203.0.113.8')).toBe(200);
  });

  it('should trust the proxies a list of addresses and presets names', async () => {
    const target = await boot('10.0.0.0/8, loopback');
    expect(await postFrom(target, '203.0.113.1')).toBe(200);
    expect(await postFrom(target, '203.0.113.2')).toBe(200);
    expect(await postFrom(target, '203.0.113.2')).toBe(429);
  });

  it('should not trust a peer outside the list', async () => {
    const target = await boot('10.0.0.0/8');
    expect(await postFrom(target, '203.0.113.1')).toBe(200);
    expect(await postFrom(target, '203.0.113.2')).toBe(429);
  });
});

describe('CORS_ORIGINS', () => {
  const ALLOWED = 'https://app.example.com';

  function preflight(target: TestGateway, origin: string): Promise<Response> {
    return fetch(`${target.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
  }

  describe('with a list of origins', () => {
    let gateway: TestGateway;
    beforeAll(async () => {
      gateway = await startGateway({ CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` });
    });
    afterAll(() => gateway.close());

    it('should answer a preflight from an allowed origin', async () => {
      const response = await preflight(gateway, ALLOWED);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'authorization,content-type',
      );
      expect(response.headers.get('vary')).toContain('Origin');
      // No cookies are involved: the key travels in a header.
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('should allow no other origin', async () => {
      const response = await preflight(gateway, 'https://evil.example.com');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it("should expose the gateway's headers on real answers", async () => {
      const response = await postChat(gateway, chatBody(), {
        ...authHeaders(),
        origin: 'http://localhost:5173',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(',');
      expect(exposed).toEqual(CORS_EXPOSED_HEADERS);
      expect(exposed).toEqual(
        expect.arrayContaining([
          'x-request-id',
          'x-ratelimit-limit-requests',
          'x-ratelimit-remaining-requests',
          'x-ratelimit-reset-requests',
          'retry-after',
          'x-memory-status',
          'x-gateway-selected-model',
        ]),
      );
      // Every exposed header the gateway actually sent here is one the browser may now read.
      for (const name of ['x-request-id', 'x-ratelimit-remaining-requests']) {
        expect(response.headers.get(name)).not.toBeNull();
      }
    });

    it('should let browsers read error answers too', async () => {
      const response = await postChat(gateway, chatBody(), {
        'content-type': 'application/json',
        origin: ALLOWED,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    });
  });

  it('should allow any origin with *', async () => {
    const gateway = await startGateway({ CORS_ORIGINS: '*' });
    try {
      const response = await preflight(gateway, 'https://anywhere.example.org');
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await gateway.close();
    }
  });

  it('should send no CORS headers when unset', async () => {
    const gateway = await startGateway({ CORS_ORIGINS: undefined });
    try {
      const preflightResponse = await preflight(gateway, ALLOWED);
      expect(preflightResponse.headers.get('access-control-allow-origin')).toBeNull();
      const response = await postChat(gateway, chatBody(), { ...authHeaders(), origin: ALLOWED });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-expose-headers')).toBeNull();
    } finally {
      await gateway.close();
    }
  });
});
