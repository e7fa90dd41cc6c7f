import { decodeTerms, encodeTerms } from './entry-encoding';
import { textTerms } from './text-terms';

/**
 * Weight of a neighbouring turn's terms in a memory's index entry, by distance: the turn before
 * and after at half weight. A short answer ("Maya.") is then found by the question asked
 * before it, and the question by its answer. The turns beyond (at a quarter) cost recall on
 * bench/memory's eval once queries are expanded: 59.7 -> 57.9 % recall@10.
 */
export const NEIGHBOUR_WEIGHTS: readonly number[] = [0.5];
/**
 * Roles whose turns are indexed with their neighbours. Assistant turns keep their own words
 * only: indexed with the user's, they were recalled for them too, above the user's own turns,
 * which carry the facts (bench/memory eval: recall@10 48.2 -> 50.3 %). They still give their
 * words to the user turns around them.
 */
const WITH_NEIGHBOURS = new Set(['user']);
/**
 * Turns further apart than this are not one conversation. Captured turns of one exchange are
 * seconds apart, a batch added through the API shares one time; sessions are hours apart.
 */
export const CONVERSATION_GAP_MS = 30 * 60_000;
// Turns from a changed row to the furthest row whose entry it is part of.
export const NEIGHBOUR_REACH = NEIGHBOUR_WEIGHTS.length;

/**
 * A stored memory as the index sees it; `terms` null until it is first indexed. `conversation`:
 * a turn of a conversation (captured from completions, or added with conversation=true); other
 * memories are standalone facts, indexed with their own words only.
 */
export interface IndexedRow {
  seq: number;
  createdAt: number;
  conversation: boolean;
  role: string;
  content: string;
  /** Text of an unstored turn before it (see NewMemory.context). */
  context?: string | null;
  terms: string | null;
  dl: number;
}

/** A memory's index entry: weighted term frequencies and the weighted length (BM25's |d|). */
export interface IndexEntry {
  tf: Map<string, number>;
  /** How often each term is in the memory's own text. */
  own: Map<string, number>;
  dl: number;
}

export interface Posting {
  term: string;
  seq: number;
  tf: number;
  dl: number;
}

/** What a write changes in the index, for the store to apply in the write's transaction. */
export interface IndexPlan {
  /** Rows whose entry changed: their new encoded terms and length. */
  rows: Array<{ seq: number; terms: string; dl: number }>;
  deletePostings: Array<{ term: string; seq: number }>;
  insertPostings: Posting[];
  /** Change of each term's document frequency (zero changes left out). */
  df: Map<string, number>;
  docs: number;
  totalLength: number;
}

/** A memory's entry: its own terms at weight 1, its conversation's neighbours lower. */
export function indexEntry(rows: readonly IndexedRow[], at: number, terms: TermCache): IndexEntry {
  const tf = new Map<string, number>();
  let dl = 0;
  const addTerms = (row: IndexedRow, weight: number) => {
    const own = terms(row);
    for (const term of own) {
      tf.set(term, (tf.get(term) ?? 0) + weight);
    }
    dl += weight * own.length;
  };
  addTerms(rows[at], 1);
  const own = new Map(tf);
  if (!WITH_NEIGHBOURS.has(rows[at].role)) {
    return { tf, own, dl };
  }
  const around = neighbours(rows, at);
  for (const { index, weight } of around) {
    addTerms(rows[index], weight);
  }
  const row = rows[at];
  if (row.context && !around.some(({ index }) => index < at)) {
    addTerms({ ...row, seq: -row.seq, content: row.context }, NEIGHBOUR_WEIGHTS[0]);
  }
  return { tf, own, dl };
}

/**
 * The turns around rows[at] in its conversation (none for a standalone memory), with their
 * weights: adjacent conversation turns in (created_at, seq) order, each within
 * CONVERSATION_GAP_MS of the one before. Symmetric: b is a neighbour of a iff a is of b.
 */
export function neighbours(
  rows: readonly IndexedRow[],
  at: number,
): Array<{ index: number; weight: number }> {
  const found: Array<{ index: number; weight: number }> = [];
  if (!rows[at].conversation) {
    return found;
  }
  for (const step of [-1, 1]) {
    let previous = at;
    let next = at + step;
    for (const weight of NEIGHBOUR_WEIGHTS) {
      while (next >= 0 && next < rows.length && !rows[next].conversation) {
        next += step;
      }
      if (next < 0 || next >= rows.length || !sameConversation(rows[previous], rows[next])) {
        break;
      }
      found.push({ index: next, weight });
      previous = next;
      next += step;
    }
  }
  return found;
}

export type TermCache = (row: IndexedRow) => string[];

export function termCache(): TermCache {
  const cache = new Map<number, string[]>();
  return (row) => {
    let terms = cache.get(row.seq);
    if (terms === undefined) {
      terms = textTerms(row.content);
      cache.set(row.seq, terms);
    }
    return terms;
  };
}

/**
 * `seqs` and their neighbours (a gone row's former ones when `seqs` are deleted rows still in
 * the window): the rows whose entry a write or a delete changes.
 */
export function rowsNear(window: readonly IndexedRow[], seqs: ReadonlySet<number>): Set<number> {
  const near = new Set<number>();
  window.forEach((row, at) => {
    if (seqs.has(row.seq)) {
      near.add(row.seq);
      for (const { index } of neighbours(window, at)) {
        near.add(window[index].seq);
      }
    }
  });
  return near;
}

/**
 * The index changes after a write. `window` is the namespace's rows around the change, after it,
 * in (created_at, seq) order, reaching NEIGHBOUR_REACH conversation turns beyond each row of
 * `affected` (the rows to re-index, see rowsNear); `removed` are deleted rows. Rows whose entry comes out
 * the same are left alone.
 */
export function planIndexChanges(
  window: readonly IndexedRow[],
  affected: ReadonlySet<number>,
  removed: readonly IndexedRow[] = [],
): IndexPlan {
  const plan: IndexPlan = {
    rows: [],
    deletePostings: [],
    insertPostings: [],
    df: new Map(),
    docs: 0,
    totalLength: 0,
  };
  const bump = (term: string, delta: number) => plan.df.set(term, (plan.df.get(term) ?? 0) + delta);
  const unindex = (row: IndexedRow) => {
    if (row.terms === null) {
      return;
    }
    for (const term of decodeTerms(row.terms).keys()) {
      plan.deletePostings.push({ term, seq: row.seq });
      bump(term, -1);
    }
    plan.docs -= 1;
    plan.totalLength -= row.dl;
  };
  removed.forEach(unindex);
  const terms = termCache();
  for (let index = 0; index < window.length; index++) {
    const row = window[index];
    if (!affected.has(row.seq)) {
      continue;
    }
    const entry = indexEntry(window, index, terms);
    const encoded = encodeTerms(entry.tf, entry.own);
    if (encoded === row.terms && entry.dl === row.dl) {
      continue;
    }
    unindex(row);
    plan.rows.push({ seq: row.seq, terms: encoded, dl: entry.dl });
    for (const [term, tf] of entry.tf) {
      plan.insertPostings.push({ term, seq: row.seq, tf, dl: entry.dl });
      bump(term, 1);
    }
    plan.docs += 1;
    plan.totalLength += entry.dl;
  }
  for (const [term, delta] of plan.df) {
    if (delta === 0) {
      plan.df.delete(term);
    }
  }
  return plan;
}

function sameConversation(a: IndexedRow, b: IndexedRow): boolean {
  return Math.abs(a.createdAt - b.createdAt) <= CONVERSATION_GAP_MS;
}
