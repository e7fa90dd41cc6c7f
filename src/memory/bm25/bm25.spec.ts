import { BM25_K1, boostRecent, idf, planCandidates, RECENCY_BOOST, ScopeStats } from './bm25';
import { Posting } from './conversation-index';
import { encodeTerms, pairsOf } from './entry-encoding';
import { bm25Scores, hitsOf } from './forward-entries';
import { queryTerms, textTerms } from './text-terms';

const posting = (term: string, seq: number, tf = 1, dl = 10): Posting => ({ term, seq, tf, dl });

/** The search's scorer on the forward entries holding `postings`, best first. */
function rank(
  postings: readonly Posting[],
  order: readonly string[],
  df: ReadonlyMap<string, number>,
  stats: ScopeStats,
  weights: ReadonlyMap<string, number> = new Map(),
) {
  const bySeq = new Map<number, { tf: Map<string, number>; dl: number }>();
  for (const { term, seq, tf, dl } of postings) {
    const entry = bySeq.get(seq) ?? { tf: new Map<string, number>(), dl };
    entry.tf.set(term, tf);
    bySeq.set(seq, entry);
  }
  const entries = [...bySeq].map(([seq, { tf, dl }]) => ({ seq, terms: encodeTerms(tf), dl }));
  return hitsOf(entries, bm25Scores(entries, pairsOf(entries), order, weights, df, stats));
}

describe('textTerms', () => {
  it('should lower-case, drop stop words, take irregular forms to their base and stem', () => {
    expect(textTerms("What is your sister's NAME? She's running marathons.")).toEqual([
      'sister',
      'name',
      'run',
      'marathon',
    ]);
    expect(textTerms('the and of')).toEqual([]);
    expect(queryTerms('run running runs, ran')).toEqual(['run']);
    expect(textTerms('I bought the children better shoes')).toEqual([
      'buy',
      'child',
      'good',
      'shoe',
    ]);
    // An -s form stays Porter2's: "lives" is the verb as often as the plural of life.
    expect(textTerms('She lives in Lisbon')).toEqual(['live', 'lisbon']);
    expect(textTerms('Room 101, code A7x')).toEqual(['room', '101', 'code', 'a7x']);
  });
});

describe('BM25 scoring', () => {
  const stats = { docs: 100, totalLength: 1000 };

  it('should rank a memory with a rare query term above one with a common term', () => {
    const df = new Map([
      ['maya', 2],
      ['like', 60],
    ]);
    const ranked = rank([posting('like', 1), posting('maya', 2)], ['like', 'maya'], df, stats);
    expect(ranked.map((hit) => hit.seq)).toEqual([2, 1]);
    expect(idf(2, 100)).toBeGreaterThan(idf(60, 100));
  });

  it('should rank a short memory above a long one with the same matches', () => {
    const df = new Map([['chess', 5]]);
    const ranked = rank(
      [posting('chess', 1, 1, 40), posting('chess', 2, 1, 4)],
      ['chess'],
      df,
      stats,
    );
    expect(ranked.map((hit) => hit.seq)).toEqual([2, 1]);
  });

  it('should saturate repeats: twice the term scores more, but less than twice as much', () => {
    const df = new Map([['chess', 5]]);
    const [twice, once] = rank(
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
    const ranked = rank(
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

describe('BM25 scoring weights and recency', () => {
  const stats = { docs: 100, totalLength: 1000 };
  const raw = (score: number) => score / (1 - score);

  it("should multiply a term's part by its query weight", () => {
    const df = new Map([
      ['marathon', 5],
      ['race', 5],
    ]);
    const weights = new Map([
      ['race', 1],
      ['marathon', 0.3],
    ]);
    const [own, related] = rank(
      [posting('race', 1), posting('marathon', 2)],
      ['race', 'marathon'],
      df,
      stats,
      weights,
    );
    expect([own.seq, related.seq]).toEqual([1, 2]);
    expect(raw(related.score)).toBeCloseTo(0.3 * raw(own.score), 12);
  });

  it('should lift the newer of equal matches by at most RECENCY_BOOST, within depth only', () => {
    const df = new Map([['car', 5]]);
    const plain = rank(
      [posting('car', 3), posting('car', 7), posting('car', 5)],
      ['car'],
      df,
      stats,
    );
    const ranked = boostRecent(plain, 3);
    expect(ranked.map((hit) => hit.seq)).toEqual([7, 5, 3]);
    expect(raw(ranked[0].score) / raw(ranked[2].score)).toBeCloseTo(1 + RECENCY_BOOST, 12);
    // A clearly better older match still wins; past the depth nothing moves.
    const better = rank([posting('car', 1, 3, 5), posting('car', 9)], ['car'], df, stats);
    expect(boostRecent(better, 2)[0].seq).toBe(1);
    const deep = boostRecent(plain, 1);
    expect(deep.slice(1)).toEqual(plain.slice(1));
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
