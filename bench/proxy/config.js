'use strict';
/**
 * The proxy benchmark's settings, read once from the environment (bench/run.js lists the
 * variables), and the request every target is sent.
 */
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const FAKE = path.join(ROOT, 'test/fakes/fake-openai-upstream.js');
const FLOOR = path.join(ROOT, 'bench', 'floor.js');
const GATEWAY = path.join(ROOT, 'dist/main.js');
const WRK_SCRIPT = path.join(ROOT, 'bench', 'wrk-post.lua');

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

function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * With two or more cores and `taskset` on the machine, the measured server (floor or gateway)
 * runs alone on core 1 while the load generator and the fake upstream share core 0, so both
 * servers are compared "on one core" and the run is far less noisy. BENCH_PIN=0 turns it off.
 */
const PIN = process.env.BENCH_PIN !== '0' && os.cpus().length >= 2 && hasTaskset();

module.exports = {
  ROOT,
  FAKE,
  FLOOR,
  GATEWAY,
  WRK_SCRIPT,
  JSON_OUT,
  DURATION,
  WARMUP,
  PRIME,
  STREAM,
  GATEWAY_CMD,
  CONCURRENCIES,
  HOSTILE,
  C1_ROUNDS,
  C1_ROUND_SECONDS,
  GATEWAY_NODE_ARGS,
  KNOWN_TARGETS,
  MIN_GENERATOR_HEADROOM,
  TARGETS,
  PROXY_KEY,
  AIMS,
  REQUEST,
  RESPONSES_REQUEST,
  PIN,
  bodyFor,
  say,
};
