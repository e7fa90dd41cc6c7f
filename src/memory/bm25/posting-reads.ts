import { Posting } from './conversation-index';

/**
 * A posting read in a key range costs a small fraction of a posting looked up on its own (one
 * index descent each): both stores keep postings in (scope, term, seq) order, so a range is
 * contiguous leaf pages. Measured on Postgres at 100,000 memories: 1000 lookups touch about
 * 4000 pages, a 1000-posting range about 15.
 */
export const RANGE_POSTINGS_PER_LOOKUP = 16;

/**
 * How to read the score-only terms' postings of the candidates: `ranged` terms by their
 * postings in the candidates' seq range [from, to] (filtered to the candidates by the store),
 * `looked` terms one (term, seq) lookup per candidate. Either way the same postings come back.
 */
export interface ScoreOnlyReads {
  ranged: string[];
  looked: string[];
  from: number;
  to: number;
}

/**
 * Chooses per score-only term the cheaper read. The share of the namespace between the
 * candidates' lowest and highest seq is estimated by the essential postings read (a sample of
 * it): in the capped case (the most recent postings of a common term) the candidates are the
 * newest memories, and a common term's postings among them are one short range, where a
 * lookup per candidate would descend the index a thousand times.
 */
export function planScoreOnlyReads(
  scoreOnly: readonly string[],
  df: ReadonlyMap<string, number>,
  essential: readonly Posting[],
  essentialPostings: number,
  candidates: readonly number[],
): ScoreOnlyReads {
  const reads: ScoreOnlyReads = { ranged: [], looked: [], from: 0, to: -1 };
  if (candidates.length === 0) {
    return reads;
  }
  reads.from = Math.min(...candidates);
  reads.to = Math.max(...candidates);
  const within = essential.filter((p) => p.seq >= reads.from && p.seq <= reads.to).length;
  const share = essentialPostings > 0 ? Math.min(1, within / essentialPostings) : 1;
  for (const term of scoreOnly) {
    const inRange = (df.get(term) ?? 0) * share;
    if (inRange <= RANGE_POSTINGS_PER_LOOKUP * candidates.length) {
      reads.ranged.push(term);
    } else {
      reads.looked.push(term);
    }
  }
  return reads;
}
