'use strict';
/**
 * Shared by the memory benchmark scripts: the fake upstream, the built gateway as a child
 * process, a throw-away Postgres schema, percentiles and plain-text tables.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { freePort } = require('../free-port');

const ROOT = path.resolve(__dirname, '..', '..');
const GATEWAY = path.join(ROOT, 'dist', 'main.js');
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const API_KEY = 'sk-memory-bench';
const KEY_ID = 'env-key-1'; // the id of the first GATEWAY_API_KEYS entry

/**
 * The tenant the gateway files API_KEY's memories under, for writing through the repository
 * directly: the build's own keyTenant() (it prefixes the key id), not a guess.
 */
function tenant() {
  const { keyTenant } = requireDist('memory/namespace.js');
  return keyTenant({ id: KEY_ID });
}

/** A module of the build, with a clear message when `npm run build` has not been run. */
function requireDist(relative) {
  const file = path.join(ROOT, 'dist', relative);
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(ROOT, file)} not found: run npm run build first`);
  }
  return require(file);
}

/** The fake OpenAI upstream, in this process (the gateway refuses to boot without one). */
async function startUpstream() {
  const { createFakeOpenAiUpstream } = require(
    path.join(ROOT, 'test/fakes/fake-openai-upstream.js'),
  );
  return createFakeOpenAiUpstream({ record: false }).listen();
}

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * `node dist/main.js` on a free loopback port with `env` (plus PATH, the upstream and one API
 * key), ready once /health/live answers 200. stdout (a JSON line per request) is drained.
 */
async function spawnGateway(env, upstreamUrl) {
  if (!fs.existsSync(GATEWAY)) {
    throw new Error(`${path.relative(ROOT, GATEWAY)} not found: run npm run build first`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, [GATEWAY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      OPENAI_BASE_URL: upstreamUrl,
      OPENAI_API_KEY: 'sk-upstream-bench',
      GATEWAY_API_KEYS: API_KEY,
      THROTTLE_LIMIT: '1000000000',
      THROTTLE_TTL_MS: '60000',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  let exited = null;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8192)));
  child.on('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `code ${code}`;
    children.delete(child);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`gateway exited (${exited})\n${stderr}`);
    try {
      const res = await fetch(`${url}/health/live`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`gateway not ready after 30 s\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid,
    stderr: () => stderr,
    alive: () => exited === null,
    stop() {
      if (exited) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** JSON request to the gateway with the bench API key; returns { status, body, ms }. */
async function api(baseUrl, method, route, body) {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, ms };
}

/** A fresh schema name: lower case, unique per run (BENCH_SCHEMA_PREFIX replaces `prefix`). */
function schemaName(prefix) {
  const base = process.env.BENCH_SCHEMA_PREFIX ?? prefix;
  return `${base}_${Date.now().toString(36)}_${process.pid}`;
}

/** `url` with `options=-c search_path=<schema>` added (pg and the gateway both honour it). */
function withSearchPath(url, schema) {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  // URLSearchParams writes spaces as '+', which libpq-style parsers read literally.
  return u.toString().replace(/options=[^&]*/, `options=-c%20search_path%3D${schema}`);
}

/** Runs `sql` on a one-off connection (schema create/drop). */
async function adminQuery(url, sql) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function latencySummary(samples) {
  const sorted = Float64Array.from(samples).sort();
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean,
  };
}

function fmt(n, digits) {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** A plain-text table: first `leftColumns` columns left-aligned, the rest right-aligned. */
function table(head, rows, leftColumns = 1) {
  const cells = rows.map((r) => r.map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c.map((x, i) => (i < leftColumns ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** 2026-05-15T10-22-03Z: a file-name-safe timestamp. */
function stamp(date = new Date()) {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

function writeResult(name, data) {
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${stamp()}.json`);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return path.relative(ROOT, file);
}

module.exports = {
  ROOT,
  API_KEY,
  tenant,
  DEFAULT_DATABASE_URL,
  requireDist,
  startUpstream,
  spawnGateway,
  api,
  schemaName,
  withSearchPath,
  adminQuery,
  percentile,
  latencySummary,
  fmt,
  table,
  writeResult,
};
