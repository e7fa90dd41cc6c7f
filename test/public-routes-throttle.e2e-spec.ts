import { authHeaders, startGateway, TestGateway } from './support/gateway';

describe('public routes under a tight rate limit', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ THROTTLE_LIMIT: '5' });
  });
  afterAll(() => gateway.close());

  async function statuses(path: string, count: number): Promise<number[]> {
    const result: number[] = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${gateway.url}${path}`);
      await response.arrayBuffer();
      result.push(response.status);
    }
    return result;
  }

  it('should never throttle /health/live', async () => {
    expect(await statuses('/health/live', 30)).toEqual(Array(30).fill(200));
  });

  it('should never throttle /health/ready', async () => {
    expect(await statuses('/health/ready', 10)).toEqual(Array(10).fill(200));
  });

  it('should never throttle /docs or /docs-json', async () => {
    expect(await statuses('/docs', 10)).toEqual(Array(10).fill(200));
    expect(await statuses('/docs-json', 10)).toEqual(Array(10).fill(200));
  });

  it('should still throttle the API itself at the same limit', async () => {
    const codes = await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(`${gateway.url}/v1/models`, { headers: authHeaders() }).then((r) => r.status),
      ),
    );
    expect(codes.filter((code) => code === 200)).toHaveLength(5);
    expect(codes.filter((code) => code === 429)).toHaveLength(1);
  });
});
