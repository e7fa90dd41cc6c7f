'use strict';
/**
 * Retrieval quality of the memory search, end to end through the built gateway's API.
 * Run from the repo root: `node bench/memory/eval.js [--json]` (or `npm run eval:memory`).
 *
 * 1. Starts the fake upstream and `node dist/main.js` with MEMORY_ENABLED=true on in-memory
 *    SQLite (DATA_DIR=memory://), or on real Postgres when EVAL_DATABASE_URL is set: then in a
 *    fresh schema (created and dropped here) through `?options=-c search_path=<schema>`.
 * 2. Loads every turn of bench/memory/dataset.js: one namespace per persona, POST
 *    /v1/memory/namespaces/{ns}/memories?conversation=true, one batch per session, with role and
 *    created_at (as completions store turns: each user turn indexed with the turn before); the response's
 *    data[i].id maps turn ids to memory ids.
 * 3. Asks every question: GET /v1/memory/namespaces/{ns}/memories?q=<question>&limit=10, the
 *    same relevance search the gateway uses to inject memories, and scores the evidence turns
 *    (see metrics.js): recall@5, recall@10, all evidence found, MRR, by question type.
 * 4. Prints the table and writes bench/memory/results/eval-<timestamp>.json.
 *
 * Env:
 *   EVAL_DATABASE_URL  postgres://... to run on real Postgres instead of the embedded SQLite store
 *   EVAL_SEED, EVAL_PERSONAS   data set (defaults: dataset.js)
 *   EVAL_SCHEMA_PREFIX prefix of the Postgres schema created for the run (default memory_eval)
 *   EVAL_LIMIT         results asked per question (default 10)
 *   EVAL_GATEWAY_ENV   extra gateway env as JSON, e.g. '{"MEMORY_MIN_SCORE":"0"}'
 *   EVAL_EXTRA_HISTORY turns of chit-chat added to each namespace (dataset.js extraHistory: filler
 *                      of other data sets, never near a persona's sessions, no evidence), to
 *                      measure recall in namespaces of realistic size; with EVAL_GATEWAY_ENV
 *                      '{"MEMORY_SEARCH_CANDIDATE_POSTINGS":"0"}', what the candidate budget costs
 */
const {
  api,
  spawnGateway,
  startUpstream,
  schemaName,
  withSearchPath,
  adminQuery,
  latencySummary,
  fmt,
  writeResult,
} = require('./common');
const { buildDataset, extraHistory, turnsOf, stats } = require('./dataset');
const { scoreQuestion, aggregate, typeTable, pct } = require('./metrics');

const JSON_OUT = process.argv.includes('--json');
const say = (line = '') => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);
const LIMIT = Number(process.env.EVAL_LIMIT ?? 10);
const EXTRA_HISTORY = Number(process.env.EVAL_EXTRA_HISTORY ?? 0);
const EXTRA_BATCH = 1000;

async function main() {
  const started = Date.now();
  const ds = buildDataset({
    seed: process.env.EVAL_SEED ? Number(process.env.EVAL_SEED) : undefined,
    personas: process.env.EVAL_PERSONAS ? Number(process.env.EVAL_PERSONAS) : undefined,
  });
  const dsStats = stats(ds);
  say(
    `eval: ${dsStats.personas} namespaces, ${dsStats.turns} turns, ${dsStats.questions} questions (seed ${ds.seed})`,
  );

  const databaseUrl = process.env.EVAL_DATABASE_URL || undefined;
  const extraEnv = process.env.EVAL_GATEWAY_ENV ? JSON.parse(process.env.EVAL_GATEWAY_ENV) : {};
  const schema = databaseUrl
    ? schemaName(process.env.EVAL_SCHEMA_PREFIX ?? 'memory_eval')
    : undefined;
  const upstream = await startUpstream();
  let gateway;
  const problems = [];
  try {
    if (schema) {
      await adminQuery(databaseUrl, `CREATE SCHEMA ${schema}`);
      say(`eval: Postgres schema ${schema}`);
    }
    const storeEnv = schema
      ? { DATABASE_URL: withSearchPath(databaseUrl, schema) }
      : { DATA_DIR: 'memory://' };
    gateway = await spawnGateway(
      { MEMORY_ENABLED: 'true', ...storeEnv, ...extraEnv },
      upstream.url,
    );

    // Load.
    const memoryIdOf = new Map();
    let inserted = 0;
    let skipped = 0;
    const loadStarted = performance.now();
    /** One batch of turns; their memories, in order (data), checked. */
    const addTurns = async (namespace, turns) => {
      const res = await api(
        gateway.url,
        'POST',
        `/v1/memory/namespaces/${encodeURIComponent(namespace)}/memories?conversation=true`,
        turns.map((t) => ({ content: t.content, role: t.role, created_at: t.createdAt })),
      );
      if (
        res.status !== 201 ||
        !Array.isArray(res.body?.data) ||
        res.body.data.length !== turns.length
      ) {
        throw new Error(
          `POST memories for ${namespace}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
        );
      }
      inserted += res.body.inserted;
      skipped += res.body.skipped;
      return res.body.data;
    };
    // One batch per session with conversation=true: each user turn is indexed with the turn
    // before it, as turns written by /v1/memory/chat/completions are.
    for (const persona of ds.personas) {
      for (const session of persona.sessions) {
        const data = await addTurns(persona.namespace, session.turns);
        session.turns.forEach((t, j) => memoryIdOf.set(t.id, data[j].id));
      }
    }
    for (const [namespace, turns] of extraHistory(ds, EXTRA_HISTORY)) {
      for (let i = 0; i < turns.length; i += EXTRA_BATCH) {
        await addTurns(namespace, turns.slice(i, i + EXTRA_BATCH));
      }
    }
    const loadMs = performance.now() - loadStarted;
    say(
      `eval: loaded ${inserted} memories (${skipped} exact duplicates skipped` +
        `${EXTRA_HISTORY > 0 ? `, ${EXTRA_HISTORY} extra turns per namespace` : ''}) ` +
        `in ${fmt(loadMs / 1000, 1)} s`,
    );

    // Spot-check what was stored against what was sent.
    const probe = turnsOf(ds.personas[0])[5];
    const got = await api(
      gateway.url,
      'GET',
      `/v1/memory/namespaces/${ds.personas[0].namespace}/memories/${memoryIdOf.get(probe.id)}`,
    );
    if (
      got.status !== 200 ||
      got.body.content !== probe.content ||
      got.body.role !== probe.role ||
      got.body.created_at !== probe.createdAt
    ) {
      problems.push(
        `GET memory ${memoryIdOf.get(probe.id)}: expected ${JSON.stringify({ content: probe.content, role: probe.role, created_at: probe.createdAt })}, got HTTP ${got.status} ${JSON.stringify(got.body).slice(0, 300)}`,
      );
    }

    // Ask.
    const rows = [];
    const latencies = [];
    for (const q of ds.questions) {
      const res = await api(
        gateway.url,
        'GET',
        `/v1/memory/namespaces/${encodeURIComponent(q.namespace)}/memories?q=${encodeURIComponent(q.text)}&limit=${LIMIT}`,
      );
      latencies.push(res.ms);
      if (res.status !== 200 || !Array.isArray(res.body?.data)) {
        problems.push(
          `GET ?q= for ${q.id}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
        );
        continue;
      }
      const data = res.body.data;
      checkSearchPage(q, res.body, problems);
      const evidence = q.evidence.map((id) => memoryIdOf.get(id));
      const resultIds = data.map((m) => m.id);
      const s = scoreQuestion(evidence, resultIds);
      rows.push({
        id: q.id,
        type: q.type,
        kind: q.kind,
        text: q.text,
        answer: q.answer,
        evidenceRanks: evidence.map((id) => resultIds.indexOf(id) + 1 || null),
        top3: data.slice(0, 3).map((m) => `${fmt(m.score, 3)} ${m.role}: ${m.content}`),
        ...s,
      });
    }

    const agg = aggregate(rows);
    const lat = latencySummary(latencies);
    say('');
    say(typeTable(agg));
    say('');
    say(
      `overall: recall@5 ${pct(agg.overall.r5)} %, recall@10 ${pct(agg.overall.r10)} %, ` +
        `all evidence in top 10 ${pct(agg.overall.all10)} %; ${fmt(agg.overall.returned, 1)} results per question on average`,
    );
    say(
      `search over HTTP while evaluating (namespaces of ~${Math.round(inserted / dsStats.personas)} memories): ` +
        `p50 ${fmt(lat.p50, 2)} ms, p95 ${fmt(lat.p95, 2)} ms`,
    );
    if (problems.length) {
      say('');
      say(`API PROBLEMS (${problems.length}):`);
      for (const p of problems.slice(0, 20)) say(`  - ${p}`);
      if (problems.length > 20) say(`  ... and ${problems.length - 20} more (see the JSON)`);
      process.exitCode = 1;
    }
    const result = {
      kind: 'memory-retrieval-eval',
      at: new Date().toISOString(),
      node: process.version,
      store: schema ? 'postgres' : 'sqlite (memory://)',
      gatewayEnv: extraEnv,
      extraHistory: EXTRA_HISTORY,
      limit: LIMIT,
      dataset: dsStats,
      load: { inserted, skipped, ms: loadMs },
      searchLatencyMs: lat,
      overall: agg.overall,
      byType: agg.byType,
      problems,
      questions: rows,
      seconds: (Date.now() - started) / 1000,
    };
    const file = writeResult('eval', result);
    say(`\neval: wrote ${file}`);
    if (JSON_OUT)
      process.stdout.write(`${JSON.stringify({ ...result, questions: undefined }, null, 2)}\n`);
  } finally {
    if (gateway) await gateway.stop();
    await upstream.close();
    if (schema) await adminQuery(databaseUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

/** The contract for a ?q= page: scores in [0, 1], best first, no cursor, at most `limit`. */
function checkSearchPage(q, body, problems) {
  const data = body.data;
  const where = `GET ?q= for ${q.id} ("${q.text}")`;
  if (data.length > LIMIT) problems.push(`${where}: ${data.length} results for limit ${LIMIT}`);
  if (body.has_more !== false || body.next_cursor !== null) {
    problems.push(
      `${where}: expected has_more false and next_cursor null, got ${body.has_more}/${body.next_cursor}`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    const s = data[i].score;
    if (typeof s !== 'number' || s < 0 || s > 1)
      problems.push(`${where}: score ${s} out of [0, 1]`);
    if (i > 0 && s > data[i - 1].score) problems.push(`${where}: not best first at ${i}`);
    if (data[i].namespace !== q.namespace)
      problems.push(`${where}: result from namespace ${data[i].namespace}`);
  }
}

main().catch((err) => {
  say(`eval: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
