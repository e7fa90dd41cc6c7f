import { IndexedRow, indexEntry, termCache } from './conversation-index';
import { encodeTerms, ownTerms } from './entry-encoding';
import { FEEDBACK_TERMS, FEEDBACK_WEIGHT, termCounts, withFeedback } from './feedback';
import { spacedTerms } from './testing/reference-bm25';
import { EXPANSION_WEIGHT, RELATIONS, weightedQueryTerms } from './query-terms';
import { MAX_QUERY_TERMS } from './text-terms';
import { relatedWords, SYNONYM } from './wordnet';

describe('relatedWords (WordNet)', () => {
  it('should give synonyms, derived forms and kinds two levels down, single words only', () => {
    expect([...relatedWords('allergy', RELATIONS).keys()]).toContain('allergic');
    expect([...relatedWords('job', RELATIONS).keys()]).toEqual(
      expect.arrayContaining(['occupation', 'career']),
    );
    expect([...relatedWords('sibling', RELATIONS).keys()]).toContain('twin');
    // kid -> child (synonym) -> imp (a kind of child)
    expect([...relatedWords('kid', RELATIONS).keys()]).toEqual(
      expect.arrayContaining(['child', 'imp']),
    );
    expect([...relatedWords('job', RELATIONS).keys()].some((word) => /[_-]/.test(word))).toBe(
      false,
    );
  });

  it('should say how each word is related: same sense, derived form or a kind of it', () => {
    expect(relatedWords('allergy', RELATIONS).get('allergic')).toBe('+');
    expect(relatedWords('kid', RELATIONS).get('child')).toBe(SYNONYM);
    expect(relatedWords('kid', RELATIONS).get('imp')).toBe('~');
  });

  it('should know nothing of a word WordNet lacks', () => {
    expect(relatedWords('qzxv', RELATIONS).size).toBe(0);
  });
});

describe('weightedQueryTerms', () => {
  it("should weigh the query's own terms 1 and WordNet's related ones EXPANSION_WEIGHT", () => {
    const query = weightedQueryTerms("What is my kid's job?");
    expect(query.terms.slice(0, 2)).toEqual(['kid', 'job']);
    expect(query.weights.get('job')).toBe(1);
    expect(query.weights.get('child')).toBe(EXPANSION_WEIGHT);
    expect(query.weights.get('occup')).toBe(EXPANSION_WEIGHT);
    expect(query.terms).toEqual([...query.weights.keys()]);
    expect(query.terms.length).toBeLessThanOrEqual(MAX_QUERY_TERMS);
  });

  it("should take each word's closest relations first: synonyms and derived forms before kinds", () => {
    const { terms } = weightedQueryTerms('kid');
    expect(terms.indexOf('child')).toBeGreaterThan(0);
    expect(terms.indexOf('child')).toBeLessThan(terms.indexOf('imp'));
  });

  it("should share the cap among the words: one word's many kinds cannot crowd out another's", () => {
    // "food" alone has more kinds two levels down than the cap holds.
    expect(weightedQueryTerms('food').terms).toHaveLength(MAX_QUERY_TERMS);
    const query = weightedQueryTerms('Which food allergy did I mention?');
    expect(query.terms.slice(0, 3)).toEqual(['food', 'allergi', 'mention']);
    expect(query.weights.get('allerg')).toBe(EXPANSION_WEIGHT);
    expect(query.weights.get('allergist')).toBe(EXPANSION_WEIGHT);
    expect(query.terms).toHaveLength(MAX_QUERY_TERMS);
  });

  it('should look up inflected words by their base form and leave numbers alone', () => {
    expect(weightedQueryTerms('allergies').weights.get('allerg')).toBe(EXPANSION_WEIGHT);
    expect(weightedQueryTerms('room 101')).toEqual(
      expect.objectContaining({ terms: expect.arrayContaining(['room', '101']) }),
    );
    expect([...weightedQueryTerms('4711').weights]).toEqual([['4711', 1]]);
  });
});

describe('withFeedback (RM3)', () => {
  const query = { terms: ['car'], weights: new Map([['car', 1]]) };

  it("should add the best matches' heaviest terms, the heaviest at FEEDBACK_WEIGHT", () => {
    const expanded = withFeedback(query, [
      { own: termCounts('I drive a Volvo estate, my car never lets me down'), score: 0.8 },
      { own: termCounts('The Volvo needs new brakes'), score: 0.4 },
    ]);
    expect(expanded.weights.get('car')).toBe(1);
    expect(expanded.weights.get('volvo')).toBe(FEEDBACK_WEIGHT);
    const others = [...expanded.weights].filter(([term]) => term !== 'car' && term !== 'volvo');
    expect(others.length).toBeGreaterThan(0);
    for (const [, weight] of others) {
      expect(weight).toBeLessThan(FEEDBACK_WEIGHT);
      expect(weight).toBeGreaterThan(0);
    }
    expect(expanded.terms).toEqual([...expanded.weights.keys()]);
  });

  it("should take the same terms, to the float, from a memory's entry as from its text", () => {
    // A memory's own terms (repeats among them) with its neighbours' in its entry.
    const turn = { conversation: true, terms: null, dl: 0 };
    const rows: IndexedRow[] = [
      { ...turn, seq: 1, createdAt: 0, role: 'user', content: 'Volvo brakes again' },
      {
        ...turn,
        seq: 2,
        createdAt: 1000,
        role: 'assistant',
        content: 'The Volvo needs new brakes, new tyres and a new exhaust',
      },
    ];
    const entry = indexEntry(rows, 1, termCache());
    const own = ownTerms(encodeTerms(entry.tf, entry.own))!;
    expect(own).toEqual(termCounts(rows[1].content));
    expect(own.get('new')).toBe(3);
    const fromEntry = withFeedback(query, [{ own, score: 0.7 }]);
    const fromText = withFeedback(query, [{ own: termCounts(rows[1].content), score: 0.7 }]);
    expect([...fromEntry.weights]).toEqual([...fromText.weights]);
    // An entry written before compact ones does not tell: the flow reads the text then.
    expect(ownTerms(spacedTerms(entry.tf))).toBeUndefined();
  });

  it('should add at most FEEDBACK_TERMS terms and nothing without matches', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}x`).join(' ');
    const expanded = withFeedback(query, [{ own: termCounts(long), score: 0.5 }]);
    expect(expanded.terms.length).toBe(1 + FEEDBACK_TERMS);
    expect(withFeedback(query, [])).toBe(query);
  });
});

describe('weightedQueryTerms, asked again', () => {
  it('should expand a word the same way the second time (from the cache) as the first', () => {
    const query = 'Which beverage did my sibling drink at the race?';
    const first = weightedQueryTerms(query);
    expect(first.terms.length).toBeGreaterThan(3);
    const again = weightedQueryTerms(`${query} beverage`);
    expect(again).toEqual(first);
  });
});
