import { planCandidates } from './bm25';
import { Posting } from './conversation-index';
import { encodeTerms } from './entry-encoding';
import { ForwardEntry } from './forward-entries';
import { firstPass, SearchIndex, termsWithin } from './search-flow';
import { entryPostings, rankByBm25 } from './testing/reference-bm25';

/** A namespace's index in memory, with forward entries consistent with its postings. */
function memoryIndex(entries: ForwardEntry[]): SearchIndex & { all: Posting[] } {
  const postings = entryPostings(entries);
  const df = (terms: readonly string[]) =>
    new Map(
      terms
        .map((term) => [term, postings.filter((p) => p.term === term).length] as const)
        .filter(([, count]) => count > 0),
    );
  const totalLength = entries.reduce((sum, entry) => sum + entry.dl, 0);
  const holding = (terms: readonly string[]) =>
    entries.filter((entry) => postings.some((p) => p.seq === entry.seq && terms.includes(p.term)));
  return {
    all: postings,
    candidates: (_tenant, _namespace, terms, budget) => {
      const known = df(terms);
      const plan = planCandidates(known, budget);
      const read =
        plan.cap === undefined
          ? postings.filter((p) => plan.essential.includes(p.term))
          : postings
              .filter((p) => p.term === plan.essential[0])
              .sort((a, b) => b.seq - a.seq)
              .slice(0, plan.cap);
      return Promise.resolve({
        stats: { scope: 1, stats: { docs: entries.length, totalLength }, df: known },
        entries: entries.filter((entry) => read.some((p) => p.seq === entry.seq)),
      });
    },
    feedback: (_scope, terms, limit) => {
      const known = df(terms);
      const adding = limit === undefined ? [...known.keys()] : termsWithin(known, limit);
      return Promise.resolve({ df: known, entries: holding(adding) });
    },
    contents: () => Promise.resolve(new Map()),
    vectorHits: () => Promise.resolve([]),
  };
}

describe('termsWithin', () => {
  const df = new Map([
    ['common', 900],
    ['rare', 3],
    ['mid', 40],
  ]);

  it('should take the rarest terms while their postings fit the budget', () => {
    expect(termsWithin(df, 50)).toEqual(['rare', 'mid']);
    expect(termsWithin(df, 42)).toEqual(['rare']);
    expect(termsWithin(df, 2)).toEqual([]);
    expect(termsWithin(df, -5)).toEqual([]);
  });
});

describe('firstPass', () => {
  it('should score every candidate exactly on all weighted terms, missing only memories without a selective term', async () => {
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const terms = ['rare', 'mid', 'common', 'related'];
    const entries: ForwardEntry[] = [];
    for (let seq = 1; seq <= 400; seq++) {
      const tf = new Map<string, number>();
      terms.forEach((term, at) => {
        if (next() < [0.02, 0.1, 0.5, 0.05][at]) {
          tf.set(term, 1 + Math.floor(next() * 3) * 0.5);
        }
      });
      tf.set(`own${seq}`, 1);
      entries.push({ seq, terms: encodeTerms(tf), dl: 5 + Math.floor(next() * 30) });
    }
    const index = memoryIndex(entries);
    const weights = new Map([
      ['rare', 1],
      ['mid', 1],
      ['common', 1],
      ['related', 0.3],
    ]);
    const query = { terms, weights };
    const stats = (await index.candidates('t', 'n', terms, 0))!.stats;
    const exact = rankByBm25(index.all, terms, stats.df, stats.stats, weights);
    const found = (await firstPass(index, 't', 'n', query, 60))!;
    const plan = planCandidates(stats.df, 60);
    expect(plan.scoreOnly.length).toBeGreaterThan(0);
    // Every candidate carries its exact score (the score-only terms included).
    const exactScore = new Map(exact.map((hit) => [hit.seq, hit.score]));
    expect(found.ranked.length).toBeGreaterThan(0);
    for (const hit of found.ranked) {
      expect(hit.score).toBe(exactScore.get(hit.seq));
    }
    // The top 3 is exact BM25's among the memories holding an essential term.
    const reachable = exact.filter((hit) =>
      index.all.some((p) => p.seq === hit.seq && plan.essential.includes(p.term)),
    );
    expect(found.ranked.slice(0, 3)).toEqual(reachable.slice(0, 3));
    expect(found.read).toBe(plan.essential.reduce((sum, term) => sum + stats.df.get(term)!, 0));
    // No budget: exact BM25 over every memory holding a query term.
    expect((await firstPass(index, 't', 'n', query, 0))!.ranked.slice(0, 10)).toEqual(
      exact.slice(0, 10),
    );
  });
});
