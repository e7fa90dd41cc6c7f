import { byScore, Hit } from './bm25/bm25';

/** Reciprocal rank fusion's constant (RRF, k = 60). */
const RRF_K = 60;

/**
 * Text and vector ranks fused by reciprocal rank, scaled to [0, 1] (1: first in both lists): a
 * memory found by both lists beats one found by either, without calibrating one score against
 * the other. Both stores' hybrid search.
 */
export function fuseRanks(textSeqs: readonly number[], vectorSeqs: readonly number[]): Hit[] {
  const fused = new Map<number, number>();
  for (const list of [textSeqs, vectorSeqs]) {
    list.forEach((seq, index) => {
      fused.set(seq, (fused.get(seq) ?? 0) + 1 / (RRF_K + index + 1));
    });
  }
  return [...fused].map(([seq, sum]) => ({ seq, score: (sum * (RRF_K + 1)) / 2 })).sort(byScore);
}
