'use strict';
/**
 * The latency a target adds at concurrency 1, measured in interleaved rounds: a single 10 s row
 * per target put the floor and the gateway minutes apart on a shared machine, and the other
 * load in between moved the difference by as much as the aim's margin (0.43 and 0.71 ms in two
 * quiet runs). Each round measures the floor, the gateway (and the memory route) back to back,
 * alternating the order; the verdict takes the median of the rounds' differences, and every
 * round is printed. Each target gets the same warm-up and the same wrk run.
 *
 * Env: BENCH_C1_ROUNDS (default 5; 0 turns the rounds off), BENCH_C1_ROUND_SECONDS (default 3).
 */

const ORDER = ['floor', 'gateway', 'memory'];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs the rounds when the floor and the gateway are both targets. Returns the rounds, the
 * medians of `gateway - floor` and `memory - gateway` p50 (ms), and any problem seen.
 */
async function measureC1Rounds({ targets, scenario, bodyFor, wrk, say, rounds, seconds }) {
  const names = ORDER.filter((name) => targets.some((t) => t.name === name));
  if (rounds <= 0 || !names.includes('floor') || !names.includes('gateway')) return undefined;
  say('');
  say(
    `c1 rounds: ${rounds} x (${names.join(', ')}), 1 s warm-up + ${seconds} s each, order alternating`,
  );
  const all = [];
  const problems = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const p50 = {};
    for (const name of order) {
      const target = targets.find((t) => t.name === name);
      const options = {
        url: target.url,
        headers: target.headers,
        body: bodyFor(target, scenario),
        connections: 1,
      };
      await wrk({ ...options, duration: 1 });
      const r = await wrk({ ...options, duration: seconds });
      const errors = r.connect + r.read + r.write + r.timeout;
      if (r.status || errors) {
        problems.push(`c1 round ${round + 1}/${name}: ${r.status} non-2xx, ${errors} errors`);
      }
      p50[name] = r.p50 / 1000;
    }
    const entry = { order, p50, gatewayAdded: p50.gateway - p50.floor };
    if (p50.memory !== undefined) entry.memoryAdded = p50.memory - p50.gateway;
    all.push(entry);
    say(
      `  round ${round + 1}: ${names.map((n) => `${n} p50 ${p50[n].toFixed(3)}`).join('  ')} ms` +
        `   gateway - floor ${entry.gatewayAdded.toFixed(3)} ms` +
        (entry.memoryAdded === undefined
          ? ''
          : `   memory - gateway ${entry.memoryAdded.toFixed(3)} ms`),
    );
  }
  const memory = all.filter((r) => r.memoryAdded !== undefined).map((r) => r.memoryAdded);
  return {
    rounds: all,
    gatewayAddedMs: median(all.map((r) => r.gatewayAdded)),
    memoryAddedMs: memory.length ? median(memory) : undefined,
    problems,
  };
}

module.exports = { measureC1Rounds, median };
