import {
  CONVERSATION_GAP_MS,
  IndexedRow,
  indexEntry,
  planIndexChanges,
  rowsNear,
  termCache,
} from './conversation-index';
import { decodeTerms, encodeTerms } from './entry-encoding';

const T0 = Date.parse('2026-03-01T10:00:00Z');

function rows(...turns: Array<[string, number] | [string, number, boolean]>): IndexedRow[] {
  return turns.map(([content, at, conversation = true], index) => ({
    seq: index + 1,
    createdAt: T0 + at,
    conversation,
    role: 'user',
    content,
    terms: null,
    dl: 0,
  }));
}

describe('indexEntry', () => {
  const talk = rows(
    ['I booked a trip', 0],
    ['Where are you flying?', 10_000],
    ["What's your sister's name?", 20_000],
    ['Maya.', 30_000],
    ['Lovely name', 40_000],
    ['Tell me about chess', 50_000],
  );

  it('should index a turn with the turn before and after it at 0.5, not the ones beyond', () => {
    const entry = indexEntry(talk, 3, termCache());
    expect(Object.fromEntries(entry.tf)).toEqual({
      maya: 1,
      sister: 0.5,
      name: 0.5 + 0.5,
      love: 0.5,
    });
    // Own 1 term, neighbours 2 + 2 at 0.5.
    expect(entry.dl).toBe(1 + 0.5 * 4);
  });

  it('should stop at a gap of more than CONVERSATION_GAP_MS and skip standalone memories', () => {
    const split = rows(
      ["What's your sister's name?", 0],
      ['My passport number is 1234', 1000, false],
      ['Maya.', 2000],
      ['Next session', 2000 + CONVERSATION_GAP_MS + 1],
    );
    expect(Object.fromEntries(indexEntry(split, 2, termCache()).tf)).toEqual({
      maya: 1,
      sister: 0.5,
      name: 0.5,
    });
    expect(Object.fromEntries(indexEntry(split, 1, termCache()).tf)).toEqual({
      passport: 1,
      number: 1,
      '1234': 1,
    });
    expect([...rowsNear(split, new Set([3]))].sort()).toEqual([1, 3]);
  });
});

describe('planIndexChanges', () => {
  it('should index new turns and re-index their neighbours, with df and length deltas', () => {
    const before = rows(['sister name', 0], ['Maya', 1000]);
    const first = planIndexChanges(before, rowsNear(before, new Set([1, 2])));
    expect(first.docs).toBe(2);
    expect(first.totalLength).toBe(2 + 0.5 + 1 + 1);
    expect(Object.fromEntries(first.df)).toEqual({ sister: 2, name: 2, maya: 2 });
    const stored = before.map((row) => ({
      ...row,
      ...first.rows.find((changed) => changed.seq === row.seq)!,
    }));
    // A third turn: Maya's entry gains it, "sister name" (two turns away) is left alone.
    const after = [...stored, ...rows(['', 0], ['', 0], ['chess club', 2000]).slice(2)];
    const second = planIndexChanges(after, rowsNear(after, new Set([3])));
    expect(second.rows.map((row) => row.seq).sort()).toEqual([2, 3]);
    expect(second.docs).toBe(1);
    expect(Object.fromEntries(second.df)).toEqual({ chess: 2, club: 2, maya: 1 });
    expect(decodeTerms(second.rows.find((row) => row.seq === 2)!.terms).get('chess')).toBe(0.5);
  });

  it('should remove a deleted row and its words from its neighbours', () => {
    const talk = rows(['sister name', 0], ['Maya', 1000]);
    const indexed = planIndexChanges(talk, new Set([1, 2]));
    const stored = talk.map((row) => ({
      ...row,
      ...indexed.rows.find((changed) => changed.seq === row.seq)!,
    }));
    const affected = rowsNear(stored, new Set([1]));
    affected.delete(1);
    const plan = planIndexChanges(stored.slice(1), affected, stored.slice(0, 1));
    expect(plan.docs).toBe(-1);
    expect(Object.fromEntries(plan.df)).toEqual({ sister: -2, name: -2, maya: -1 });
    const maya = new Map([['maya', 1]]);
    expect(plan.rows).toEqual([{ seq: 2, terms: encodeTerms(maya, maya), dl: 1 }]);
    expect(plan.totalLength).toBe(-(2 + 0.5) + (1 - 2));
  });
});
