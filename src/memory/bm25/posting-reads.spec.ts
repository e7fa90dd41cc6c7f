import { Posting } from './conversation-index';
import { planScoreOnlyReads, RANGE_POSTINGS_PER_LOOKUP } from './posting-reads';

const posting = (term: string, seq: number): Posting => ({ term, seq, tf: 1, dl: 10 });

describe('planScoreOnlyReads', () => {
  it('should read a common term by range when the candidates are the newest memories', () => {
    // The capped case: the 100 newest of 10,000 postings of "old" (seq 9901..10000).
    const essential = Array.from({ length: 100 }, (_, i) => posting('old', 9901 + i));
    const df = new Map([
      ['old', 10_000],
      ['maya', 5_000],
    ]);
    const candidates = essential.slice(0, 60).map((p) => p.seq);
    // About 30 of maya's postings lie in 9901..9960: far cheaper than 60 lookups.
    const reads = planScoreOnlyReads(['maya'], df, essential, 10_000, candidates);
    expect(reads).toEqual({ ranged: ['maya'], looked: [], from: 9901, to: 9960 });
  });

  it('should look a common term up per candidate when the candidates span the namespace', () => {
    const essential = [posting('chess', 3), posting('chess', 5_000), posting('chess', 9_990)];
    const df = new Map([
      ['chess', 3],
      ['maya', 5_000],
      ['piano', RANGE_POSTINGS_PER_LOOKUP * 3],
    ]);
    const reads = planScoreOnlyReads(['maya', 'piano'], df, essential, 3, [3, 5_000, 9_990]);
    // maya: 5000 postings in range against 3 lookups; piano just within the allowance.
    expect(reads).toEqual({ ranged: ['piano'], looked: ['maya'], from: 3, to: 9_990 });
  });

  it('should read nothing without candidates', () => {
    const reads = planScoreOnlyReads(['maya'], new Map([['maya', 9]]), [], 0, []);
    expect(reads.ranged).toEqual([]);
    expect(reads.looked).toEqual([]);
  });
});
