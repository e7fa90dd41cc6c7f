'use strict';
/**
 * What the rows say: the table, the generator check, and the comparisons of the gateway (and its
 * memory and Responses routes) with the floor, with their verdicts against the aims.
 */
const { AIMS } = require('./config');

/** The direct mock's c32 req/s over the floor's, when both were measured. */
function generatorHeadroom(rows) {
  const find = (target) =>
    rows.find((r) => r.scenario === 'json' && r.target === target && r.connections === 32);
  const direct = find('upstream');
  const floor = find('floor');
  return direct && floor ? direct.rps / floor.rps : undefined;
}

function fmt(n, digits) {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

function table(rows) {
  const head = ['scenario', 'target', 'conc', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'];
  const body = rows.map((r) => [
    r.scenario,
    r.target,
    String(r.connections),
    fmt(r.rps, 0),
    fmt(r.p50, 3),
    fmt(r.p99, 3),
    String(r.non2xx),
    r.timeouts ? `${r.errors} (${r.timeouts} timeouts)` : String(r.errors),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function isClean(row) {
  return row && row.non2xx === 0 && row.errors === 0 && !row.preflightError;
}

function comparisons(rows, scenario, c1Rounds) {
  const find = (target, c) =>
    rows.find((r) => r.scenario === scenario && r.target === target && r.connections === c);
  const g1 = find('gateway', 1);
  const f1 = find('floor', 1);
  const g32 = find('gateway', 32);
  const f32 = find('floor', 32);
  const out = [];
  const verdict = (rowsUsed, met) =>
    rowsUsed.every(isClean) ? (met ? 'met' : 'NOT met') : 'INVALID (errors/non-2xx, see table)';
  if (g32 && f32) {
    const v = g32.rps / f32.rps;
    out.push({
      name: 'gateway/floor req/s at c32',
      value: v,
      text: fmt(v, 3),
      aim: `>= ${AIMS.c32Ratio}`,
      verdict: verdict([g32, f32], v >= AIMS.c32Ratio),
    });
  }
  if (g1 && f1) {
    const v = g1.rps / f1.rps;
    out.push({
      name: 'gateway/floor req/s at c1',
      value: v,
      text: fmt(v, 3),
      aim: null,
      verdict: null,
    });
    const d = g1.p50 - f1.p50;
    // With rounds, the single rows (minutes apart) are shown, and the rounds' median decides.
    out.push({
      name: c1Rounds ? 'gateway p50 - floor p50 at c1 (rows)' : 'gateway p50 - floor p50 at c1',
      value: d,
      text: `${fmt(d, 3)} ms`,
      aim: c1Rounds ? null : `<= ${AIMS.c1AddedP50Ms} ms`,
      verdict: c1Rounds ? null : verdict([g1, f1], d <= AIMS.c1AddedP50Ms),
    });
  }
  if (c1Rounds) {
    const d = c1Rounds.gatewayAddedMs;
    const clean = c1Rounds.problems.length === 0;
    // The floor does a subset of the gateway's work: a floor slower than the gateway was
    // measured while something else held the machine, and would make any gateway pass.
    const verdict = !clean
      ? 'INVALID (errors, see rounds)'
      : d < 0
        ? 'INVALID (the floor measured slower than the gateway: load on the machine)'
        : d <= AIMS.c1AddedP50Ms
          ? 'met'
          : 'NOT met';
    out.push({
      name: `gateway p50 - floor p50 at c1, median of ${c1Rounds.rounds.length} rounds`,
      value: d,
      text: `${fmt(d, 3)} ms`,
      aim: `<= ${AIMS.c1AddedP50Ms} ms`,
      verdict,
    });
    if (c1Rounds.memoryAddedMs !== undefined) {
      out.push({
        name: `memory p50 - gateway p50 at c1, median of ${c1Rounds.rounds.length} rounds`,
        value: c1Rounds.memoryAddedMs,
        text: `${fmt(c1Rounds.memoryAddedMs, 3)} ms`,
        aim: null,
      });
    }
  }
  // The memory route (without retrieval) and the Responses route, against the plain route of the
  // same process.
  for (const route of ['memory', 'responses']) {
    const at1 = find(route, 1);
    const at32 = find(route, 32);
    if (at32 && g32) {
      const v = at32.rps / g32.rps;
      out.push({ name: `${route}/gateway req/s at c32`, value: v, text: fmt(v, 3), aim: null });
    }
    if (at1 && g1) {
      const d = at1.p50 - g1.p50;
      out.push({
        name: `${route} p50 - gateway p50 at c1`,
        value: d,
        text: `${fmt(d, 3)} ms`,
        aim: null,
      });
    }
  }
  // The aims are stated for the plain (non-stream) request; stream figures are informational.
  if (scenario !== 'json') out.forEach((c) => ((c.aim = null), (c.verdict = null)));
  return out;
}

module.exports = { fmt, table, generatorHeadroom, comparisons };
