'use strict';
/**
 * Memory search latency on real Postgres with 100,000 memories in one namespace.
 * Run from the repo root: `node bench/memory/search-bench.js [--json]` (or `npm run bench:memory`).
 *
 * 1. Creates a fresh schema, applies the gateway's migrations (dist/memory/migrations.js) and
 *    loads BENCH_MEMORIES distinct turns (bench/memory/dataset.js corpus) into one namespace
 *    through the repository's add() in 1000-row batches, each with the previous turn as its
 *    `context` (as the writer stores completions), then ANALYZE. Load time is reported.
 * 2. Measures the relevance search the gateway uses for `?q=` and for injection
 *    (MemoryService.search → MemoryRepository.search with limit 10 and the default
 *    MEMORY_MIN_SCORE, no embeddings), one query at a time, after a warm-up:
 *      direct  the repository's search() on a pg pool in this process
 *      http    GET /v1/memory/namespaces/{ns}/memories?q=...&limit=10 through `node dist/main.js`
 *              started with DATABASE_URL on the same schema (fetch keep-alive, concurrency 1)
 *    over BENCH_QUERIES queries taken from the evaluation questions (varied wording and length).
 * 3. Drops the schema (also on Ctrl-C) and writes bench/memory/results/search-<timestamp>.json.
 *
 * Env:
 *   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/test
 *   BENCH_MEMORIES      default 100000
 *   BENCH_QUERIES       measured queries per target (default 500)
 *   BENCH_WARMUP_QUERIES  unmeasured queries first (default 100)
 *   BENCH_MIN_SCORE     minScore passed to the direct search (default 0.1, the gateway default)
 *   BENCH_KEEP_SCHEMA=1 keep the schema (its name is printed) for poking at it with psql
 */
const {
  tenant,
  DEFAULT_DATABASE_URL,
  requireDist,
  spawnGateway,
  startUpstream,
  api,
  schemaName,
  withSearchPath,
  adminQuery,
  latencySummary,
  fmt,
  table,
  writeResult,
} = require('./common');
const { buildDataset, corpus } = require('./dataset');

const JSON_OUT = process.argv.includes('--json');
const say = (line = '') => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL;
const MEMORIES = Number(process.env.BENCH_MEMORIES ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const WARMUP = Number(process.env.BENCH_WARMUP_QUERIES ?? 100);
const MIN_SCORE = Number(process.env.BENCH_MIN_SCORE ?? 0.1);
const NAMESPACE = 'bench';
const BATCH = 1000;
const LIMIT = 10;

let schema;
let cleaning = false;

async function dropSchema() {
  if (!schema || process.env.BENCH_KEEP_SCHEMA === '1') return;
  const name = schema;
  schema = undefined;
  await adminQuery(DATABASE_URL, `DROP SCHEMA IF EXISTS ${name} CASCADE`);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (cleaning) return;
    cleaning = true;
    say(`\nsearch-bench: ${sig}, dropping the schema`);
    dropSchema().finally(() => process.exit(130));
  });
}

/** Deterministic query list: the evaluation questions, shuffled, repeated if needed. */
function queryList(count) {
  const questions = buildDataset().questions.map((q) => q.text);
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const out = [];
  while (out.length < count) {
    const round = questions.slice();
    for (let i = round.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [round[i], round[j]] = [round[j], round[i]];
    }
    out.push(...round);
  }
  return out.slice(0, count);
}

async function measure(name, queries, run) {
  const samples = [];
  let results = 0;
  for (let i = 0; i < queries.length; i++) {
    const t0 = performance.now();
    const n = await run(queries[i]);
    const ms = performance.now() - t0;
    if (i >= WARMUP) {
      samples.push(ms);
      results += n;
    }
  }
  const s = latencySummary(samples);
  return { target: name, ...s, meanResults: results / samples.length };
}

async function main() {
  const { createPgClient } = requireDist('memory/sql-client.js');
  const { runMigrations } = requireDist('memory/migrations.js');
  const { PostgresMemoryRepository: MemoryRepository } = requireDist('memory/memory.repository.js');

  schema = schemaName('memory_bench');
  await adminQuery(DATABASE_URL, `CREATE SCHEMA ${schema}`);
  say(`search-bench: schema ${schema} on ${new URL(DATABASE_URL).host}`);
  const sql = createPgClient(DATABASE_URL, { options: `-c search_path=${schema}` });
  const upstream = await startUpstream();
  let gateway;
  try {
    await runMigrations(sql);
    const TENANT = tenant();
    const repo = new MemoryRepository(sql);

    // Load.
    const turns = corpus(MEMORIES);
    const loadStarted = performance.now();
    let inserted = 0;
    for (let i = 0; i < turns.length; i += BATCH) {
      // `context`: the turn before, as the gateway's writer stores it (builds without the
      // neighbour-context column ignore it).
      const batch = turns.slice(i, i + BATCH).map((t, j) => ({
        content: t.content,
        role: t.role,
        createdAt: new Date(t.createdAt),
        context: turns[i + j - 1]?.content,
      }));
      const result = await repo.add(TENANT, NAMESPACE, batch);
      inserted += result.inserted.length;
      if (!JSON_OUT && process.stdout.isTTY) process.stdout.write(`\r  loaded ${inserted}`);
    }
    const insertMs = performance.now() - loadStarted;
    const analyzeStarted = performance.now();
    await sql.query('ANALYZE memories');
    const analyzeMs = performance.now() - analyzeStarted;
    const {
      rows: [size],
    } = await sql.query(
      `SELECT pg_total_relation_size('memories')::bigint AS total,
              pg_relation_size('memories_search')::bigint AS gin,
              (SELECT count(*)::int FROM memories) AS count`,
    );
    if (!JSON_OUT && process.stdout.isTTY) process.stdout.write('\r');
    say(
      `search-bench: loaded ${inserted} memories in ${fmt(insertMs / 1000, 1)} s ` +
        `(${fmt(inserted / (insertMs / 1000), 0)} rows/s, add() in ${BATCH}-row batches), ANALYZE ${fmt(analyzeMs, 0)} ms; ` +
        `table+indexes ${fmt(Number(size.total) / 2 ** 20, 0)} MiB, GIN ${fmt(Number(size.gin) / 2 ** 20, 0)} MiB`,
    );
    if (inserted !== MEMORIES) throw new Error(`expected ${MEMORIES} rows, inserted ${inserted}`);

    const queries = queryList(WARMUP + QUERIES);
    const rows = [];

    // (a) direct
    rows.push(
      await measure('direct (repository.search)', queries, async (q) => {
        const found = await repo.search(TENANT, NAMESPACE, q, {
          limit: LIMIT,
          minScore: MIN_SCORE,
        });
        return found.length;
      }),
    );
    say(`  direct: p50 ${fmt(rows[0].p50, 2)} ms, p95 ${fmt(rows[0].p95, 2)} ms`);

    // (b) http
    gateway = await spawnGateway(
      { MEMORY_ENABLED: 'true', DATABASE_URL: withSearchPath(DATABASE_URL, schema) },
      upstream.url,
    );
    const failures = [];
    // Both targets must run the same search: same ids for a few queries.
    for (const q of queries.slice(0, 20)) {
      const direct = await repo.search(TENANT, NAMESPACE, q, { limit: LIMIT, minScore: MIN_SCORE });
      const res = await api(
        gateway.url,
        'GET',
        `/v1/memory/namespaces/${NAMESPACE}/memories?q=${encodeURIComponent(q)}&limit=${LIMIT}`,
      );
      const same =
        res.status === 200 &&
        JSON.stringify(res.body.data.map((m) => m.id)) === JSON.stringify(direct.map((m) => m.id));
      if (!same) {
        throw new Error(
          `direct and HTTP searches differ for "${q}": direct ${direct.length} results, ` +
            `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
        );
      }
    }
    rows.push(
      await measure('http (GET ?q=, gateway)', queries, async (q) => {
        const res = await api(
          gateway.url,
          'GET',
          `/v1/memory/namespaces/${NAMESPACE}/memories?q=${encodeURIComponent(q)}&limit=${LIMIT}`,
        );
        if (res.status !== 200) {
          failures.push(`HTTP ${res.status} for "${q}": ${JSON.stringify(res.body).slice(0, 200)}`);
          return 0;
        }
        return res.body.data.length;
      }),
    );
    say(`  http:   p50 ${fmt(rows[1].p50, 2)} ms, p95 ${fmt(rows[1].p95, 2)} ms`);

    // One plan, to see how the search runs at this size.
    const { rows: plan } = await sql.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)
       WITH q AS (
         SELECT to_tsquery('simple', coalesce(string_agg(quote_literal(lexeme), ' | '), '')) AS q
         FROM unnest(tsvector_to_array(to_tsvector('english', $3))) AS lexeme
       )
       SELECT id, ts_rank_cd(search, q.q, 32) AS score FROM memories, q
       WHERE tenant = $1 AND namespace = $2 AND search @@ q.q AND ts_rank_cd(search, q.q, 32) >= $4
       ORDER BY score DESC, created_at DESC, seq DESC LIMIT 10`,
      [TENANT, NAMESPACE, 'What is the name of my dog? I forgot.', MIN_SCORE],
    );

    say('');
    say(
      table(
        ['target', 'queries', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms', 'results/query'],
        rows.map((r) => [
          r.target,
          r.n,
          fmt(r.p50, 2),
          fmt(r.p95, 2),
          fmt(r.p99, 2),
          fmt(r.max, 2),
          fmt(r.mean, 2),
          fmt(r.meanResults, 1),
        ]),
      ),
    );
    say('');
    say(
      `${MEMORIES} memories in one namespace, PostgreSQL, concurrency 1, ${WARMUP} warm-up queries not counted, limit ${LIMIT}, minScore ${MIN_SCORE}.`,
    );
    if (failures.length) {
      say(`PROBLEMS: ${failures.length} failed requests, e.g. ${failures[0]}`);
      process.exitCode = 1;
    }
    const { rows: version } = await sql.query('SELECT version() AS v');
    const result = {
      kind: 'memory-search-bench',
      at: new Date().toISOString(),
      node: process.version,
      postgres: version[0].v,
      memories: inserted,
      load: {
        insertMs,
        analyzeMs,
        rowsPerSecond: inserted / (insertMs / 1000),
        batch: BATCH,
        bytes: Number(size.total),
        ginBytes: Number(size.gin),
      },
      warmupQueries: WARMUP,
      limit: LIMIT,
      minScore: MIN_SCORE,
      rows,
      failures,
      planExample: plan.map((p) => p['QUERY PLAN']),
    };
    const file = writeResult('search', result);
    say(`search-bench: wrote ${file}`);
    if (JSON_OUT) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (gateway) await gateway.stop();
    await upstream.close();
    await sql.close();
    if (process.env.BENCH_KEEP_SCHEMA === '1') say(`search-bench: kept schema ${schema}`);
    await dropSchema();
  }
}

main().catch((err) => {
  say(`search-bench: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
