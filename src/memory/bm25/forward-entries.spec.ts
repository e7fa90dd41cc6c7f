import { encodeTerms, pairsOf } from './entry-encoding';
import { bm25Scores, ForwardEntry, hitsOf } from './forward-entries';
import { entryPostings, rankByBm25, spacedTerms } from './testing/reference-bm25';

/** 300 entries over a small vocabulary, tf in halves (as neighbours weigh), random lengths. */
function randomEntries(): ForwardEntry[] {
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const vocabulary = ['maya', 'sister', 'paris', 'flight', 'dog', 'cat', 're:d', 'blue', 'fli'];
  const entries: ForwardEntry[] = [];
  for (let seq = 1; seq <= 300; seq++) {
    const tf = new Map<string, number>();
    for (const term of vocabulary) {
      if (next() < 0.3) {
        tf.set(term, 0.5 + Math.floor(next() * 4) * 0.5);
      }
    }
    // Every third as rows written before compact entries were: both are scored alike.
    entries.push({
      seq,
      terms: seq % 3 === 0 ? spacedTerms(tf) : encodeTerms(tf),
      dl: 3 + next() * 40,
    });
  }
  return entries;
}

describe('forward entries', () => {
  const entries = randomEntries();
  // Query order differs from the entries' (sorted) order: the sum must follow the query's.
  const order = ['re:d', 'maya', 'flight', 'absent', 'dog'];
  const weights = new Map([
    ['re:d', 0.3],
    ['maya', 1],
    ['flight', 1],
    ['dog', 0.07],
    ['cat', 0.2],
    ['fli', 0.5],
  ]);
  const df = new Map([
    ['re:d', 90],
    ['maya', 150],
    ['flight', 12],
    ['dog', 77],
    ['cat', 80],
    ['fli', 60],
  ]);
  const stats = { docs: 300, totalLength: 6400 };
  const pairs = pairsOf(entries);

  it('should read every posting of an entry, a colon inside a term included', () => {
    const entry = {
      seq: 4,
      terms: encodeTerms(
        new Map([
          ['maya', 1.5],
          ['a:b', 1],
          ['x2', 0.5],
        ]),
      ),
      dl: 3,
    };
    expect(entryPostings([entry, { seq: 1, terms: '', dl: 0 }])).toEqual([
      { term: 'a:b', seq: 4, tf: 1, dl: 3 },
      { term: 'maya', seq: 4, tf: 1.5, dl: 3 },
      { term: 'x2', seq: 4, tf: 0.5, dl: 3 },
    ]);
  });

  it('should give the very floats and order rankByBm25 gives for the same postings', () => {
    const fromPostings = rankByBm25(entryPostings(entries), order, df, stats, weights);
    const fromEntries = hitsOf(entries, bm25Scores(entries, pairs, order, weights, df, stats));
    expect(fromEntries.length).toBeGreaterThan(100);
    expect(fromEntries).toEqual(fromPostings);
  });

  it('should go on from earlier sums as if the grown query were scored whole', () => {
    const grown = [...order, 'cat', 'fli'];
    const first = bm25Scores(entries, pairs, order, weights, df, stats);
    const more = bm25Scores(entries, pairs, ['cat', 'fli'], weights, df, stats, first);
    expect(hitsOf(entries, more)).toEqual(
      rankByBm25(entryPostings(entries), grown, df, stats, weights),
    );
    // The earlier sums are left as they were.
    expect(hitsOf(entries, first)).toEqual(
      rankByBm25(entryPostings(entries), order, df, stats, weights),
    );
  });

  it('should keep the very best a sort of them all puts first, ties at the cut included', () => {
    // Groups of three alike (terms and length) but for their seq: their scores tie.
    const alike = entries.map((entry, at) => ({ ...entries[at - (at % 3)], seq: entry.seq }));
    const raw = bm25Scores(alike, pairsOf(alike), order, weights, df, stats);
    const all = hitsOf(alike, raw);
    // Places where the score at the cut is shared by the next hit: the tie goes by seq.
    const tiedCuts = all
      .map((hit, at) => at + 1)
      .filter((keep) => keep < all.length && all[keep - 1].score === all[keep].score);
    expect(tiedCuts.length).toBeGreaterThan(3);
    for (const keep of [1, 2, 10, ...tiedCuts, all.length, all.length + 5]) {
      expect(hitsOf(alike, raw, keep)).toEqual(all.slice(0, keep));
    }
  });

  it('should score no entry on terms none holds (a prefix of a term is not the term)', () => {
    expect(
      hitsOf(entries, bm25Scores(entries, pairs, ['absent', 'fl', 'mayas'], weights, df, stats)),
    ).toEqual([]);
  });
});
