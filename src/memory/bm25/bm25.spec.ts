import { BM25_K1, candidatesToScore, idf, planCandidates, rankByBm25 } from './bm25';
import { Posting } from './conversation-index';
import { queryTerms, textTerms } from './text-terms';

const posting = (term: string, seq: number, tf = 1, dl = 10): Posting => ({ term, seq, tf, dl });

describe('textTerms', () => {
  it('should lower-case, drop stop words and stem with Porter2', () => {
    expect(textTerms("What is your sister's NAME? She's running marathons.")).toEqual([
      'sister',
      'name',
      'run',
      'marathon',
    ]);
    expect(textTerms('the and of')).toEqual([]);
    expect(queryTerms('run running runs, ran')).toEqual(['run', 'ran']);
  });
});

describe('rankByBm25', () => {
  const stats = { docs: 100, totalLength: 1000 };

  it('should rank a memory with a rare query term above one with a common term', () => {
    const df = new Map([
      ['maya', 2],
      ['like', 60],
    ]);
    const ranked = rankByBm25(
      [posting('like', 1), posting('maya', 2)],
      ['like', 'maya'],
      df,
      stats,
    );
    expect(ranked.map((hit) => hit.seq)).toEqual([2, 1]);
    expect(idf(2, 100)).toBeGreaterThan(idf(60, 100));
  });

  it('should rank a short memory above a long one with the same matches', () => {
    const df = new Map([['chess', 5]]);
    const ranked = rankByBm25(
      [posting('chess', 1, 1, 40), posting('chess', 2, 1, 4)],
      ['chess'],
      df,
      stats,
    );
    expect(ranked.map((hit) => hit.seq)).toEqual([2, 1]);
  });

  it('should saturate repeats: twice the term scores more, but less than twice as much', () => {
    const df = new Map([['chess', 5]]);
    const [twice, once] = rankByBm25(
      [posting('chess', 1, 1), posting('chess', 2, 2)],
      ['chess'],
      df,
      stats,
    );
    const raw = (score: number) => score / (1 - score);
    expect(twice.seq).toBe(2);
    expect(raw(twice.score)).toBeGreaterThan(raw(once.score));
    expect(raw(twice.score)).toBeLessThan(2 * raw(once.score));
    expect(raw(twice.score) / idf(5, 100)).toBeLessThan(BM25_K1 + 1);
  });

  it('should score a memory by every query term it holds, in (0, 1), ties newest first', () => {
    const df = new Map([
      ['sister', 10],
      ['chess', 10],
    ]);
    const ranked = rankByBm25(
      [posting('sister', 1), posting('chess', 1), posting('sister', 2), posting('chess', 3)],
      ['sister', 'chess'],
      df,
      stats,
    );
    expect(ranked.map((hit) => hit.seq)).toEqual([1, 3, 2]);
    for (const { score } of ranked) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThan(1);
    }
  });
});

describe('planCandidates', () => {
  const df = new Map([
    ['maya', 3],
    ['sister', 40],
    ['name', 5000],
    ['like', 50_000],
  ]);

  it('should read the rarest terms in full within the budget and score only with the rest', () => {
    expect(planCandidates(df, 100)).toEqual({
      essential: ['maya', 'sister'],
      scoreOnly: ['name', 'like'],
    });
  });

  it('should read every term with no budget (exact BM25)', () => {
    expect(planCandidates(df, 0)).toEqual({
      essential: ['maya', 'sister', 'name', 'like'],
      scoreOnly: [],
    });
  });

  it('should cap the rarest term when even it is over the budget', () => {
    const common = new Map([
      ['name', 5000],
      ['like', 50_000],
    ]);
    expect(planCandidates(common, 1000)).toEqual({
      essential: ['name'],
      scoreOnly: ['like'],
      cap: 1000,
    });
  });
});

describe('candidatesToScore', () => {
  it('should keep only the candidates the score-only terms could still lift into the top k', () => {
    const stats = { docs: 10_000, totalLength: 100_000 };
    const df = new Map([
      ['maya', 3],
      ['chess', 400],
      ['like', 5000],
    ]);
    const plan = { essential: ['maya', 'chess'], scoreOnly: ['like'] };
    const essential = [
      posting('maya', 1),
      posting('maya', 2),
      posting('chess', 2),
      ...Array.from({ length: 50 }, (_, i) => posting('chess', 100 + i, 1, 10 + i)),
    ];
    const kept = candidatesToScore(essential, plan, df, stats, 2);
    // The two "maya" memories are the top 2 whatever "like" adds; "chess" alone cannot catch up.
    expect(kept.sort((a, b) => a - b)).toEqual([1, 2]);
    // k = 3: the bar is the best "chess" memory; shorter ones may pass it, the longest cannot.
    const third = candidatesToScore(essential, plan, df, stats, 3);
    expect(third).toEqual(expect.arrayContaining([1, 2, 100, 101]));
    expect(third).not.toContain(149);
  });
});
