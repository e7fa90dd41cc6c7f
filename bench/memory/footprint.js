'use strict';
/**
 * The gateway's resident memory (RSS) with the memory store, as an operator sizing a pod sees
 * it: `node dist/main.js` on the embedded store in a fresh DATA_DIR (or DATABASE_URL, or
 * MEMORY_ENABLED=false, for comparison), RSS read from /proc after boot with the store open,
 * then after COMPLETIONS memory completions (each a new user turn and its answer, written to
 * the store) and their writes. A benchmark, not a test: RSS depends on the machine.
 *
 *   npm run bench:memory:footprint
 *   FOOTPRINT_STORE=postgres|off  DATABASE_URL=...  COMPLETIONS=550  node bench/memory/footprint.js
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {
  DEFAULT_DATABASE_URL,
  adminQuery,
  api,
  schemaName,
  spawnGateway,
  startUpstream,
  withSearchPath,
} = require('./common');

const STORE = process.env.FOOTPRINT_STORE ?? 'sqlite';
const COMPLETIONS = Number(process.env.COMPLETIONS ?? 550);
const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const CONCURRENCY = 8;
const WORDS = 'garden kayak sister recipe train budget doctor guitar holiday novel'.split(' ');

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024);
}

/** RSS after the process settles: the lowest of a few readings a little apart. */
async function settledRss(pid) {
  const readings = [];
  for (let i = 0; i < 5; i += 1) {
    await new Promise((r) => setTimeout(r, 400));
    readings.push(rssMb(pid));
  }
  return Math.min(...readings);
}

async function main() {
  const upstream = await startUpstream();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-footprint-'));
  let schema;
  const env = { MEMORY_ENABLED: STORE === 'off' ? 'false' : 'true', DATA_DIR: dataDir };
  if (STORE === 'postgres') {
    schema = schemaName('memory_footprint');
    await adminQuery(DATABASE_URL, `CREATE SCHEMA ${schema}`);
    env.DATABASE_URL = withSearchPath(DATABASE_URL, schema);
  }
  const gateway = await spawnGateway(env, upstream.url);
  try {
    const namespace = 'footprint';
    if (STORE !== 'off') {
      // Opens the store (and creates the schema), as the first memory request would.
      const opened = await api(gateway.url, 'GET', '/v1/memory/namespaces');
      if (opened.status !== 200) throw new Error(`store did not open: ${opened.status}`);
    }
    const idle = await settledRss(gateway.pid);
    const route = STORE === 'off' ? '/v1/chat/completions' : `/v1/memory/chat/completions?namespace=${namespace}`;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COMPLETIONS) {
          const n = next++;
          const words = Array.from({ length: 30 }, (_, i) => WORDS[(n * 7 + i) % WORDS.length]);
          const res = await api(gateway.url, 'POST', route, {
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: `echo: turn ${n}: ${words.join(' ')}` }],
          });
          if (res.status !== 200) throw new Error(`completion ${n}: ${res.status}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    let stored = 0;
    if (STORE !== 'off') {
      // The writes are asynchronous: wait until every turn and answer is in the store.
      for (let tries = 0; tries < 100 && stored < COMPLETIONS * 2; tries += 1) {
        const listed = await api(gateway.url, 'GET', '/v1/memory/namespaces');
        stored = listed.body.data.find((ns) => ns.namespace === namespace)?.memory_count ?? 0;
        if (stored < COMPLETIONS * 2) await new Promise((r) => setTimeout(r, 200));
      }
    }
    const loaded = await settledRss(gateway.pid);
    const result = {
      store: STORE,
      completions: COMPLETIONS,
      storedMemories: stored,
      completionsPerSecond: Math.round(COMPLETIONS / seconds),
      rssIdleMb: idle,
      rssAfterLoadMb: loaded,
    };
    console.log(JSON.stringify(result));
  } finally {
    await gateway.stop();
    await upstream.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (schema) await adminQuery(DATABASE_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
