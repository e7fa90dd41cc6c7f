import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

describe('FixedWindowThrottlerStorage', () => {
  const TTL_MS = 60_000;
  let clock: number;
  let storage: FixedWindowThrottlerStorage;

  const hit = (key = 'key-a', limit = 3, name = 'default', ttl = TTL_MS) =>
    storage.increment(key, ttl, limit, 0, name);

  beforeEach(() => {
    clock = 1_000_000;
    storage = new FixedWindowThrottlerStorage(() => clock);
  });

  afterEach(() => {
    storage.onApplicationShutdown();
  });

  it('should count hits within the window', async () => {
    expect((await hit()).totalHits).toBe(1);
    expect((await hit()).totalHits).toBe(2);
    const third = await hit();
    expect(third.totalHits).toBe(3);
    expect(third.isBlocked).toBe(false);
    expect(third.timeToBlockExpire).toBe(0);
  });

  it('should block once the limit is exceeded and report the time until the window ends', async () => {
    await hit();
    await hit();
    await hit();
    clock += 15_000;
    const fourth = await hit();
    expect(fourth).toEqual({
      totalHits: 4,
      timeToExpire: 45,
      isBlocked: true,
      timeToBlockExpire: 45,
    });
    clock += 10_000;
    const fifth = await hit();
    expect(fifth.isBlocked).toBe(true);
    expect(fifth.totalHits).toBe(5);
    expect(fifth.timeToBlockExpire).toBe(35);
  });

  it('should start a new window once the window has ended', async () => {
    for (let i = 0; i < 5; i += 1) {
      await hit();
    }
    expect((await hit()).isBlocked).toBe(true);
    clock += TTL_MS;
    const fresh = await hit();
    expect(fresh).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('should keep the window until its last millisecond', async () => {
    await hit();
    clock += TTL_MS - 1;
    const late = await hit();
    expect(late.totalHits).toBe(2);
    expect(late.timeToExpire).toBe(1);
  });

  it('should keep separate counters for separate keys', async () => {
    await hit('key-a');
    await hit('key-a');
    await hit('key-a');
    expect((await hit('key-a')).isBlocked).toBe(true);
    const other = await hit('key-b');
    expect(other.totalHits).toBe(1);
    expect(other.isBlocked).toBe(false);
  });

  it('should keep separate counters for separate throttler names', async () => {
    await hit('key-a', 1, 'short');
    expect((await hit('key-a', 1, 'short')).isBlocked).toBe(true);
    const long = await hit('key-a', 1, 'long');
    expect(long.totalHits).toBe(1);
    expect(long.isBlocked).toBe(false);
  });

  it.each([
    [TTL_MS, 0, 60],
    [TTL_MS, 59_001, 1],
    [TTL_MS, 59_999, 1],
    [500, 0, 1],
    [1_500, 0, 2],
    [1_500, 400, 2],
    [1_500, 600, 1],
  ])(
    'should report timeToExpire in whole seconds, at least 1 (ttl %i ms, %i ms elapsed → %i s)',
    async (ttl, elapsed, seconds) => {
      await hit('key', 10, 'default', ttl);
      clock += elapsed;
      const record = await hit('key', 10, 'default', ttl);
      expect(record.timeToExpire).toBe(seconds);
      expect(record.timeToExpire).toBeGreaterThanOrEqual(1);
    },
  );

  it('should sweep ended windows on its interval', async () => {
    jest.useFakeTimers();
    try {
      const swept = new FixedWindowThrottlerStorage(() => clock);
      try {
        await swept.increment('k', 1_000, 1, 0, 'default');
        const windows = (swept as unknown as { windows: Map<string, unknown> }).windows;
        expect(windows.size).toBe(1);
        clock += 2_000;
        jest.advanceTimersByTime(60_000);
        expect(windows.size).toBe(0);
      } finally {
        swept.onApplicationShutdown();
      }
    } finally {
      jest.useRealTimers();
    }
  });
});
