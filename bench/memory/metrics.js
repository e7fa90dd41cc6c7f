'use strict';
/**
 * Retrieval metrics for eval.js.
 *
 * recall@k   the fraction of a question's evidence found in the first k results, averaged over
 *            questions (a two-turn evidence with one turn found counts 0.5)
 * all@k      the share of questions with all of their evidence in the first k
 * MRR        mean of 1 / rank of the first evidence result (0 when none in the results)
 * empty      the share of questions for which the search returned nothing at all
 */
const { TYPES } = require('./dataset');
const { fmt, table } = require('./common');

/** `evidence`: memory ids; `results`: memory ids, best first. */
function scoreQuestion(evidence, results) {
  const want = new Set(evidence);
  const foundWithin = (k) => results.slice(0, k).filter((id) => want.has(id)).length;
  const first = results.findIndex((id) => want.has(id));
  const r = (k) => foundWithin(k) / want.size;
  return {
    r1: r(1),
    r5: r(5),
    r10: r(10),
    all5: foundWithin(5) === want.size ? 1 : 0,
    all10: foundWithin(10) === want.size ? 1 : 0,
    rr: first < 0 ? 0 : 1 / (first + 1),
    empty: results.length === 0 ? 1 : 0,
    returned: results.length,
  };
}

const KEYS = ['r1', 'r5', 'r10', 'all5', 'all10', 'rr', 'empty', 'returned'];

function mean(rows) {
  const out = { n: rows.length };
  for (const k of KEYS) out[k] = rows.reduce((a, r) => a + r[k], 0) / (rows.length || 1);
  return out;
}

/** `rows`: [{ type, ...scoreQuestion() }] → { overall, byType: { lexical: {...}, ... } }. */
function aggregate(rows) {
  const byType = {};
  for (const type of TYPES) {
    const subset = rows.filter((r) => r.type === type);
    if (subset.length) byType[type] = mean(subset);
  }
  return { overall: mean(rows), byType };
}

function pct(x) {
  return fmt(x * 100, 1);
}

/** One row per type plus "all". */
function typeTable(agg) {
  const rows = [...Object.entries(agg.byType), ['ALL', agg.overall]].map(([type, m]) => [
    type,
    m.n,
    pct(m.r5),
    pct(m.r10),
    pct(m.all5),
    pct(m.all10),
    fmt(m.rr, 3),
    pct(m.empty),
  ]);
  return table(['type', 'n', 'R@5 %', 'R@10 %', 'all@5 %', 'all@10 %', 'MRR', 'empty %'], rows);
}

module.exports = { scoreQuestion, aggregate, typeTable, pct };
