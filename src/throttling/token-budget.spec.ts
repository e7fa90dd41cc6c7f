import { InMemoryTokenBudget } from './token-budget';

describe('InMemoryTokenBudget', () => {
  let now: number;
  let budget: InMemoryTokenBudget;

  beforeEach(() => {
    now = 1_000_000;
    budget = new InMemoryTokenBudget(() => now);
  });

  it('should reserve while the window has room and refuse what no longer fits', async () => {
    expect(await budget.reserve('k', 600, 1000, 60_000)).toEqual({
      allowed: true,
      used: 600,
      resetMs: 60_000,
    });
    now += 10_000;
    expect(await budget.reserve('k', 500, 1000, 60_000)).toEqual({
      allowed: false,
      used: 600,
      resetMs: 50_000,
    });
    expect(await budget.reserve('k', 400, 1000, 60_000)).toMatchObject({
      allowed: true,
      used: 1000,
    });
  });

  it('should admit one oversized request into an empty window, as OpenAI does', async () => {
    expect(await budget.reserve('k', 5000, 1000, 60_000)).toMatchObject({ allowed: true });
    expect(await budget.reserve('k', 1, 1000, 60_000)).toMatchObject({ allowed: false });
  });

  it('should correct by the real usage, never below zero, and start over in a new window', async () => {
    await budget.reserve('k', 900, 1000, 60_000);
    await budget.adjust('k', -850, 60_000);
    expect(await budget.reserve('k', 900, 1000, 60_000)).toMatchObject({
      allowed: true,
      used: 950,
    });
    await budget.adjust('k', -5000, 60_000);
    expect(await budget.reserve('k', 0, 1000, 60_000)).toMatchObject({ used: 0 });
    await budget.reserve('k', 1000, 1000, 60_000);
    now += 60_000;
    expect(await budget.reserve('k', 1000, 1000, 60_000)).toMatchObject({
      allowed: true,
      used: 1000,
    });
  });

  it('should keep keys apart', async () => {
    await budget.reserve('a', 1000, 1000, 60_000);
    expect(await budget.reserve('b', 1000, 1000, 60_000)).toMatchObject({ allowed: true });
  });
});
