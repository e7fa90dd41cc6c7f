'use strict';
/**
 * Benchmark: the gateway against a framework-free forwarder (the floor) and the fake upstream.
 * Run from the repo root: `node bench/run.js [--json]` (or `npm run bench`, which builds first).
 * See bench/README.md for what the figures mean. The parts are in bench/proxy/: settings
 * (config), child processes, the servers (targets), the wrk rows (measure) and the report.
 *
 * Env:
 *   BENCH_DURATION   measured seconds per row (default 10)
 *   BENCH_WARMUP     unmeasured warm-up seconds before each row (default 2; 0 = none)
 *   BENCH_PRIME      unmeasured seconds at the highest concurrency before a target's first row
 *                    (default 5), so every server is measured with its JIT warm, as in production
 *   BENCH_TARGETS    comma list of upstream,floor,gateway,memory,responses (default all five)
 *   BENCH_STREAM=1   add a stream:true row set
 *   BENCH_HOSTILE=0  skip the hostile-body phase (event-loop delay while sending hostile bodies)
 *   BENCH_NODE_ARGS  node flags for the gateway (e.g. --cpu-prof)
 *   BENCH_GATEWAY_CMD  command to start in place of `node dist/main.js` (split on spaces; it gets
 *                    the same env; readiness is then any HTTP answer instead of 200 on /health/live)
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runHostileBodies } = require('./hostile');
const { measureC1Rounds } = require('./c1-rounds');
const {
  C1_ROUND_SECONDS,
  C1_ROUNDS,
  DURATION,
  GATEWAY,
  GATEWAY_CMD,
  HOSTILE,
  JSON_OUT,
  KNOWN_TARGETS,
  MIN_GENERATOR_HEADROOM,
  PIN,
  REQUEST,
  ROOT,
  STREAM,
  TARGETS,
  WARMUP,
  CONCURRENCIES,
  bodyFor,
  say,
} = require('./proxy/config');
const { freePort, stopChildrenOnce, waitReady } = require('./proxy/processes');
const { gatewayEnv, startTargets } = require('./proxy/targets');
const { measureRows, requireWrk, wrk } = require('./proxy/measure');
const { comparisons, fmt, generatorHeadroom, table } = require('./proxy/report');

async function main() {
  if (PIN) {
    // The load generator is this process: keep it off the measured server's core.
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
    say(
      'bench: servers pinned to core 1, load generator and fake upstream to core 0 (BENCH_PIN=0 to disable)',
    );
  }
  requireWrk();
  const unknown = TARGETS.filter((t) => !KNOWN_TARGETS.includes(t));
  if (unknown.length || TARGETS.length === 0) {
    throw new Error(
      `BENCH_TARGETS: unknown target(s) "${unknown.join(',')}"; use a comma list of ${KNOWN_TARGETS.join(',')}`,
    );
  }
  if (TARGETS.includes('gateway') && !GATEWAY_CMD && !fs.existsSync(GATEWAY)) {
    throw new Error(
      `${path.relative(ROOT, GATEWAY)} not found: run npm run build first (npm run bench does), ` +
        'or set BENCH_TARGETS=upstream,floor',
    );
  }

  const { upstreamBase, targets } = await startTargets();

  const scenarios = [{ name: 'json', stream: false, body: JSON.stringify(REQUEST) }];
  if (STREAM)
    scenarios.push({
      name: 'stream',
      stream: true,
      body: JSON.stringify({ ...REQUEST, stream: true }),
    });

  const rowsTotal = scenarios.length * targets.length * CONCURRENCIES.length;
  say(
    `bench: node ${process.version}, ${os.cpus().length} CPUs, ${rowsTotal} rows x (${WARMUP}s warm-up + ${DURATION}s measured)` +
      ` ~ ${Math.ceil((rowsTotal * (WARMUP + DURATION)) / 5) * 5}s`,
  );

  const { rows, problems } = await measureRows(targets, scenarios);

  say('');
  say(table(rows));
  const headroom = generatorHeadroom(rows);
  if (headroom !== undefined) {
    say('');
    say(
      `direct mock / floor req/s at c32: ${fmt(headroom, 2)} (must be >= ${MIN_GENERATOR_HEADROOM})`,
    );
  }
  const bottleneck = headroom !== undefined && headroom < MIN_GENERATOR_HEADROOM;
  if (bottleneck) {
    problems.push(
      `the load generator is the bottleneck: it drives the direct mock only ${fmt(headroom, 2)}x ` +
        `as fast as the floor (needs ${MIN_GENERATOR_HEADROOM}x); ratios are not printed. ` +
        'Is something else loading the machine?',
    );
  }
  const c1Rounds = await measureC1Rounds({
    targets,
    scenario: scenarios[0],
    bodyFor,
    wrk,
    say,
    rounds: C1_ROUNDS,
    seconds: C1_ROUND_SECONDS,
  });
  if (c1Rounds) problems.push(...c1Rounds.problems);
  const comps = bottleneck
    ? []
    : scenarios.flatMap((s) =>
        comparisons(rows, s.name, s.name === 'json' ? c1Rounds : undefined).map((c) => ({
          scenario: s.name,
          ...c,
        })),
      );
  if (comps.length) {
    say('');
    for (const c of comps) {
      const aim = c.aim ? `   aim ${c.aim}: ${c.verdict}` : '';
      say(`${c.scenario.padEnd(6)} ${c.name.padEnd(56)} ${c.text.padStart(10)}${aim}`);
    }
  }
  if (HOSTILE && TARGETS.includes('gateway')) {
    say('');
    const hostile = await runHostileBodies({
      say,
      freePort,
      waitReady,
      env: (port) => gatewayEnv(upstreamBase, port),
      gatewayScript: GATEWAY,
      pin: PIN,
    });
    problems.push(...hostile.problems);
  }
  if (problems.length) {
    say('');
    say('PROBLEMS (these rows are not clean measurements):');
    for (const p of problems) say(`  - ${p}`);
    process.exitCode = 1;
  }
  say('');
  say('Latency: ms, from wrk (-t1) latency percentiles; req/s: requests / measured seconds.');

  if (JSON_OUT) {
    const out = {
      node: process.version,
      cpus: os.cpus().length,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      gatewayCommand: GATEWAY_CMD ?? 'node dist/main.js',
      rows,
      c1Rounds,
      comparisons: comps,
      problems,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  }
}

main()
  .catch((err) => {
    say(`bench: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(stopChildrenOnce);
