'use strict';
/**
 * The measured rows: for each scenario and target, a pre-flight request that checks the answer,
 * an unmeasured prime at the highest concurrency, then a warm-up and a measured wrk run at each
 * concurrency.
 */
const { spawn, spawnSync } = require('node:child_process');
const http = require('node:http');

const {
  CONCURRENCIES,
  DURATION,
  PIN,
  PRIME,
  WARMUP,
  WRK_SCRIPT,
  bodyFor,
  say,
} = require('./config');
const { describeDeath } = require('./processes');
const { fmt } = require('./report');

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

/** Every scenario x target x concurrency row, printed as it is measured; fails if a target dies. */
async function measureRows(targets, scenarios) {
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
            // wrk counts answers outside 2xx/3xx but not their codes (a response() hook to
            // collect them would slow the load generator).
            `${scenario.name}/${target.name}/c${c}: ${row.non2xx} non-2xx, ` +
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
  return { rows, problems };
}

module.exports = { requireWrk, wrk, measureRows };
