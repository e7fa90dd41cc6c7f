'use strict';
/**
 * Benchmark: the gateway against a framework-free forwarder (the floor) and the fake upstream.
 * Run from the repo root: `node bench/run.js [--json]` (or `npm run bench`, which builds first).
 * See bench/README.md for what the figures mean.
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
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { runHostileBodies } = require('./hostile');
const { measureC1Rounds } = require('./c1-rounds');

const ROOT = path.resolve(__dirname, '..');
const FAKE = path.join(ROOT, 'test/fakes/fake-openai-upstream.js');
const FLOOR = path.join(__dirname, 'floor.js');
const GATEWAY = path.join(ROOT, 'dist/main.js');

const JSON_OUT = process.argv.includes('--json');
const DURATION = positiveNumber('BENCH_DURATION', 10);
const WARMUP = positiveNumber('BENCH_WARMUP', 2, true);
const PRIME = positiveNumber('BENCH_PRIME', 5, true);
const STREAM = process.env.BENCH_STREAM === '1';
const GATEWAY_CMD = process.env.BENCH_GATEWAY_CMD?.trim() || undefined;
const CONCURRENCIES = [1, 32];
const HOSTILE = process.env.BENCH_HOSTILE !== '0';
const C1_ROUNDS = positiveNumber('BENCH_C1_ROUNDS', 5, true);
const C1_ROUND_SECONDS = positiveNumber('BENCH_C1_ROUND_SECONDS', 3);
/** e.g. BENCH_NODE_ARGS=--cpu-prof to profile the gateway (profiles land in the repo root). */
const GATEWAY_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const KNOWN_TARGETS = ['upstream', 'floor', 'gateway', 'memory', 'responses'];
const WRK_SCRIPT = path.join(__dirname, 'wrk-post.lua');
/** The direct mock must go this many times faster than the floor, or wrk is the bottleneck. */
const MIN_GENERATOR_HEADROOM = 3;
const TARGETS = (process.env.BENCH_TARGETS ?? KNOWN_TARGETS.join(','))
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);
const PROXY_KEY = 'bench-key';
const AIMS = { c32Ratio: 0.22, c1AddedP50Ms: 0.6 };

const REQUEST = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Hello!' },
  ],
};
/** The same conversation as a Responses request, for the /v1/responses row. */
const RESPONSES_REQUEST = {
  model: REQUEST.model,
  instructions: REQUEST.messages[0].content,
  input: REQUEST.messages[1].content,
  store: false,
};

/** A target may speak another API than Chat Completions: then it brings its own body. */
function bodyFor(target, scenario) {
  return target.bodyFor ? target.bodyFor(scenario) : scenario.body;
}

// Human-readable output goes to stdout, or to stderr when --json owns stdout.
const say = (line = '') => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);

/** @type {Array<{name:string, child:import('node:child_process').ChildProcess, exited:boolean, stderr:string}>} */
const children = [];
let cleaningUp = false;

function positiveNumber(name, fallback, allowZero = false) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new Error(
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`,
    );
  }
  return n;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * With two or more cores and `taskset` on the machine, the measured server (floor or gateway)
 * runs alone on core 1 while the load generator and the fake upstream share core 0, so both
 * servers are compared "on one core" and the run is far less noisy. BENCH_PIN=0 turns it off.
 */
const PIN = process.env.BENCH_PIN !== '0' && os.cpus().length >= 2 && hasTaskset();

function hasTaskset() {
  try {
    require('node:child_process').execFileSync('taskset', ['-p', String(process.pid)], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

function start(name, command, args, env) {
  if (PIN) {
    [command, args] = ['taskset', ['-c', name === 'upstream' ? '0' : '1', command, ...args]];
  }
  // stdout is discarded (the gateway logs a JSON line per request at info level; it must be
  // drained, not buffered); stderr is kept (last 8 KiB) to explain a crash.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const entry = { name, child, exited: false, stderr: '' };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    entry.stderr = (entry.stderr + d).slice(-8192);
  });
  child.on('exit', (code, signal) => {
    entry.exited = true;
    entry.exitInfo = signal ? `signal ${signal}` : `code ${code}`;
  });
  child.on('error', (err) => {
    entry.exited = true;
    entry.exitInfo = err.message;
  });
  children.push(entry);
  return entry;
}

function describeDeath(entry) {
  const tail = entry.stderr.trim()
    ? `\n--- ${entry.name} stderr (tail) ---\n${entry.stderr.trim()}`
    : '';
  return `${entry.name} exited (${entry.exitInfo})${tail}`;
}

function httpGet(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Poll until `isReady(status)` for GET url, or fail if the child dies or 30 s pass. */
async function waitReady(entry, url, isReady) {
  const deadline = Date.now() + 30_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (entry.exited) throw new Error(`${describeDeath(entry)}`);
    try {
      const status = await httpGet(url);
      if (isReady(status)) return;
      last = `HTTP ${status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${entry.name} not ready after 30 s at ${url} (last: ${last})`);
}

/** One real request through the target, checking the answer is a well-formed completion. */
function preflight(url, headers, body, stream) {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', headers, agent: false, timeout: 5000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          if (res.statusCode !== 200)
            return resolve(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
          if (stream) {
            const ended = /data: \[DONE\]$|"type":"response\.completed"[^\n]*$/;
            const ok =
              /^text\/event-stream/.test(res.headers['content-type'] ?? '') &&
              ended.test(text.trimEnd());
            return resolve(ok ? null : `not an SSE stream ending in [DONE]: ${text.slice(0, 300)}`);
          }
          try {
            const json = JSON.parse(text);
            const ok =
              (json.object === 'chat.completion' &&
                typeof json.choices?.[0]?.message?.content === 'string') ||
              (json.object === 'response' && json.status === 'completed');
            resolve(ok ? null : `not a chat.completion or response: ${text.slice(0, 300)}`);
          } catch {
            resolve(`not JSON: ${text.slice(0, 300)}`);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout after 5 s')));
    req.on('error', (err) => resolve(`request failed: ${err.message}`));
    req.end(body);
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function requireWrk() {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error(
      'wrk is not installed. It is the load generator (C, far faster than the servers it drives):\n' +
        '  Debian/Ubuntu: apt-get update && apt-get install -y wrk\n' +
        '  macOS: brew install wrk',
    );
  }
}

/**
 * One wrk run (one thread, pinned to core 0 with the fake upstream when pinning is on). The Lua
 * script prints the summary as JSON: microsecond latency percentiles from wrk's own histogram.
 */
function wrk(opts) {
  return new Promise((resolve, reject) => {
    const args = ['-t1', `-c${opts.connections}`, `-d${opts.duration}s`, '--timeout', '10s'];
    args.push('-s', WRK_SCRIPT, opts.url);
    const [command, fullArgs] = PIN ? ['taskset', ['-c', '0', 'wrk', ...args]] : ['wrk', args];
    const child = spawn(command, fullArgs, {
      env: { ...process.env, WRK_BODY: opts.body, WRK_AUTHORIZATION: opts.headers.authorization },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}): ${out.slice(-500)}`));
      resolve(JSON.parse(line.slice('WRK_RESULT '.length)));
    });
  });
}

async function measureRow(target, scenario, connections) {
  const opts = {
    url: target.url,
    headers: target.headers,
    body: bodyFor(target, scenario),
    connections,
  };
  if (WARMUP > 0) await wrk({ ...opts, duration: WARMUP });
  const r = await wrk({ ...opts, duration: DURATION });
  const errors = r.connect + r.read + r.write + r.timeout;
  return {
    scenario: scenario.name,
    target: target.name,
    connections,
    rps: r.requests / (r.durationUs / 1e6),
    requests: r.requests,
    p50: r.p50 / 1000,
    p99: r.p99 / 1000,
    mean: r.mean / 1000,
    non2xx: r.status,
    errors,
    timeouts: r.timeout,
  };
}

/** The gateway as measured: auth, throttling (never reached), info logs, memory routes on. */
function gatewayEnv(upstreamBase, port) {
  return {
    PORT: String(port),
    OPENAI_BASE_URL: upstreamBase,
    OPENAI_API_KEY: 'sk-bench',
    GATEWAY_API_KEYS: PROXY_KEY,
    THROTTLE_LIMIT: '1000000000',
    THROTTLE_TTL_MS: '60000',
    LOG_LEVEL: 'info',
    // Memory routes on (the default), on the embedded store in memory.
    MEMORY_ENABLED: 'true',
    DATA_DIR: 'memory://',
  };
}

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
  // The memory route without retrieval, against the plain route of the same process.
  const m1 = find('memory', 1);
  const m32 = find('memory', 32);
  if (m32 && g32) {
    const v = m32.rps / g32.rps;
    out.push({ name: 'memory/gateway req/s at c32', value: v, text: fmt(v, 3), aim: null });
  }
  if (m1 && g1) {
    const d = m1.p50 - g1.p50;
    out.push({
      name: 'memory p50 - gateway p50 at c1',
      value: d,
      text: `${fmt(d, 3)} ms`,
      aim: null,
    });
  }
  const r1 = find('responses', 1);
  const r32 = find('responses', 32);
  if (r32 && g32) {
    const v = r32.rps / g32.rps;
    out.push({ name: 'responses/gateway req/s at c32', value: v, text: fmt(v, 3), aim: null });
  }
  if (r1 && g1) {
    const d = r1.p50 - g1.p50;
    out.push({
      name: 'responses p50 - gateway p50 at c1',
      value: d,
      text: `${fmt(d, 3)} ms`,
      aim: null,
    });
  }
  // The aims are stated for the plain (non-stream) request; stream figures are informational.
  if (scenario !== 'json') out.forEach((c) => ((c.aim = null), (c.verdict = null)));
  return out;
}

async function stopChildren() {
  const alive = children.filter((c) => !c.exited);
  await Promise.all(
    alive.map(
      (c) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => {
            c.child.kill('SIGKILL');
            resolve();
          }, 3000);
          c.child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          c.child.kill('SIGTERM');
        }),
    ),
  );
}

process.on('exit', () => {
  for (const c of children) if (!c.exited) c.child.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (cleaningUp) return;
    cleaningUp = true;
    say(`\nbench: ${sig}, stopping children`);
    stopChildren().finally(() => process.exit(130));
  });
}

async function main() {
  if (PIN) {
    // The load generator is this process: keep it off the measured server's core.
    require('node:child_process').execFileSync('taskset', ['-pc', '0', String(process.pid)], {
      stdio: 'ignore',
    });
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

  const upstreamPort = await freePort();
  const upstreamBase = `http://127.0.0.1:${upstreamPort}/v1`;
  const targets = [];

  const fake = start('upstream', process.execPath, [FAKE], { PORT: String(upstreamPort) });
  await waitReady(fake, `${upstreamBase}/models`, (s) => s === 200);
  const plain = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
  if (TARGETS.includes('upstream')) {
    // Measured like the servers: a fake of its own, alone on core 1.
    const port = await freePort();
    const direct = start('direct', process.execPath, [FAKE], { PORT: String(port) });
    await waitReady(direct, `http://127.0.0.1:${port}/v1/models`, (s) => s === 200);
    targets.push({
      name: 'upstream',
      entry: direct,
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: plain,
    });
  }

  if (TARGETS.includes('floor')) {
    const port = await freePort();
    const floor = start('floor', process.execPath, [FLOOR], {
      PORT: String(port),
      UPSTREAM_URL: upstreamBase,
      UPSTREAM_API_KEY: 'sk-bench',
    });
    await waitReady(floor, `http://127.0.0.1:${port}/`, (s) => s > 0); // it 404s everything but the chat route
    targets.push({
      name: 'floor',
      entry: floor,
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: plain,
    });
  }

  if (['gateway', 'memory', 'responses'].some((name) => TARGETS.includes(name))) {
    const port = await freePort();
    const [cmd, ...args] = GATEWAY_CMD ? GATEWAY_CMD.split(/\s+/) : ['node', GATEWAY];
    const gateway = start(
      'gateway',
      cmd === 'node' ? process.execPath : cmd,
      [...GATEWAY_NODE_ARGS, ...args],
      gatewayEnv(upstreamBase, port),
    );
    await waitReady(
      gateway,
      `http://127.0.0.1:${port}/health/live`,
      GATEWAY_CMD ? (s) => s > 0 : (s) => s === 200,
    );
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${PROXY_KEY}` };
    targets.push({
      name: 'gateway',
      entry: gateway,
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers,
    });
    // The memory route without retrieval: turns are stored (write), none are looked up.
    targets.push({
      name: 'memory',
      entry: gateway,
      url: `http://127.0.0.1:${port}/v1/memory/chat/completions?namespace=bench&memory=write`,
      headers,
    });
    // The Responses API on the same process; store:false, so it is the route's own cost.
    targets.push({
      name: 'responses',
      entry: gateway,
      url: `http://127.0.0.1:${port}/v1/responses`,
      headers,
      bodyFor: (scenario) => JSON.stringify({ ...RESPONSES_REQUEST, stream: scenario.stream }),
    });
  }
  for (let i = targets.length - 1; i >= 0; i--) {
    if (!TARGETS.includes(targets[i].name)) targets.splice(i, 1);
  }
  // Keep the requested order (upstream, floor, gateway as given in BENCH_TARGETS).
  targets.sort((a, b) => TARGETS.indexOf(a.name) - TARGETS.indexOf(b.name));

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

  const rows = [];
  const problems = [];
  for (const scenario of scenarios) {
    for (const target of targets) {
      const preflightError = await preflight(
        target.url,
        target.headers,
        bodyFor(target, scenario),
        scenario.stream,
      );
      if (preflightError) {
        const msg = `${scenario.name}/${target.name}: pre-flight request failed: ${preflightError}`;
        problems.push(msg);
        say(`bench: WARNING ${msg}`);
      }
      if (PRIME > 0) {
        const connections = Math.max(...CONCURRENCIES);
        await wrk({
          url: target.url,
          headers: target.headers,
          body: bodyFor(target, scenario),
          connections,
          duration: PRIME,
        });
      }
      for (const c of CONCURRENCIES) {
        if (target.entry.exited) throw new Error(describeDeath(target.entry));
        const row = await measureRow(target, scenario, c);
        if (target.entry.exited)
          throw new Error(
            `during ${scenario.name}/${target.name}/c${c}: ${describeDeath(target.entry)}`,
          );
        if (preflightError) row.preflightError = preflightError;
        if (row.non2xx || row.errors) {
          problems.push(
            `${scenario.name}/${target.name}/c${c}: ${row.non2xx} non-2xx (${JSON.stringify(row.statusCodes)}), ` +
              `${row.errors} errors (${row.timeouts} timeouts) out of ${row.requests} responses`,
          );
        }
        rows.push(row);
        say(
          `  ${scenario.name.padEnd(6)} ${target.name.padEnd(8)} c${String(c).padEnd(3)} ${fmt(row.rps, 0).padStart(7)} req/s  p50 ${fmt(row.p50, 3)} ms  p99 ${fmt(row.p99, 3)} ms`,
        );
      }
    }
  }

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
  .finally(() => {
    if (!cleaningUp) {
      cleaningUp = true;
      return stopChildren();
    }
  });
