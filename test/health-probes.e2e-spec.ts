import { startGateway, TestGateway } from './support/gateway';

interface Indicator {
  status: string;
  message?: string;
  enabled?: boolean;
  state?: string;
}

interface HealthBody {
  status: string;
  info: Record<string, Indicator>;
  error: Record<string, Indicator>;
  details: Record<string, Indicator>;
}

async function health(response: Response): Promise<HealthBody> {
  return (await response.json()) as HealthBody;
}

describe('health probes', () => {
  describe('with a reachable upstream', () => {
    let gateway: TestGateway;

    beforeAll(async () => {
      gateway = await startGateway();
    });
    afterAll(() => gateway.close());

    it('should answer /health/live with 200 ok without any key', async () => {
      const response = await fetch(`${gateway.url}/health/live`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await health(response)).toMatchObject({ status: 'ok' });
    });

    it('should answer /health/ready with 200, the process serving and the provider shown, without calling it', async () => {
      gateway.upstream.reset();
      const response = await fetch(`${gateway.url}/health/ready`);
      expect(response.status).toBe(200);
      const body = await health(response);
      expect(body.status).toBe('ok');
      expect(body.details.process).toEqual({ status: 'up', state: 'serving' });
      expect(body.details['provider:openai']).toEqual({
        status: 'up',
        enabled: true,
        openRoutes: [],
      });
      // Every replica shares the upstream: a readiness probe never waits on it.
      expect(gateway.upstream.requests).toEqual([]);
    });
  });

  describe('with an upstream that went away', () => {
    let gateway: TestGateway;

    beforeAll(async () => {
      gateway = await startGateway();
      await gateway.upstream.close();
    });
    afterAll(() => gateway.close());

    it('should stay ready: the upstream is not this process, and probes do not wait on it', async () => {
      const response = await fetch(`${gateway.url}/health/ready`);
      expect(response.status).toBe(200);
      const body = await health(response);
      expect(body.status).toBe('ok');
      expect(body.details.process.state).toBe('serving');
    });

    it('should keep /health/live at 200 since the process itself is fine', async () => {
      const response = await fetch(`${gateway.url}/health/live`);
      expect(response.status).toBe(200);
      expect((await health(response)).status).toBe('ok');
    });
  });

  describe('with no provider configured', () => {
    let gateway: TestGateway;

    beforeAll(async () => {
      gateway = await startGateway({ OPENAI_BASE_URL: undefined, OPENAI_API_KEY: undefined });
    });
    afterAll(() => gateway.close());

    it('should say in /health/ready that no provider is configured, readiness being the process', async () => {
      const response = await fetch(`${gateway.url}/health/ready`);
      expect(response.status).toBe(200);
      const body = await health(response);
      expect(body.details.providers).toEqual({
        status: 'up',
        enabled: false,
        message: expect.stringMatching(/no upstream provider is configured/i),
      });
    });
  });
});
