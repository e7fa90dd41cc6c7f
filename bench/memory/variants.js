'use strict';
/**
 * Which ranking retrieves the evidence best? Compares search variants on the evaluation data
 * set with SQL run directly on real Postgres (no gateway), scored exactly like eval.js.
 * Run from the repo root: `node bench/memory/variants.js [--json]` (needs `npm run build`).
 *
 * Loads the data set into a fresh schema through the repository's add() (one namespace per
 * persona), adds a helper table of each memory's neighbours (the previous and next memory of
 * the namespace by created_at, if less than NEIGHBOUR_GAP_MINUTES apart: the store has no session ids,
 * so "same session" is "close in time"), then runs every variant for every question:
 *
 *   matching   AND (websearch_to_tsquery, the first repository version), OR of the query's
 *              lexemes (the current repository), OR with prefix matching ('word':*), AND then OR
 *   ranking    ts_rank_cd and ts_rank with normalisations 0 (=32 in order), 1, 2, 8
 *   threshold  the gateway's MEMORY_MIN_SCORE (0.1 on the rank/(rank+1) scale) or none
 *   neighbours the previous/next turn's words indexed with the hit (at a lower weight), or the
 *              hits' neighbours added as extra results within the same k
 *   recency    score x (1 + w * exp(-age / 30 days)), age at the time the question is asked
 *   expansion  a small hand-written synonym list, and a list of conversational filler words
 *              ("remind me", "I forgot") dropped from the query
 *
 * The synonym and filler lists below were written by the author of the data set, who knew its
 * wording: read their gains as an upper bound of what such lists give on real conversations.
 *
 * Env: VARIANTS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 *      VARIANTS_KEEP_SCHEMA=1, EVAL_SEED / EVAL_PERSONAS as for eval.js.
 */
const {
  DEFAULT_DATABASE_URL,
  requireDist,
  schemaName,
  adminQuery,
  fmt,
  table,
  writeResult,
} = require('./common');
const { buildDataset, turnsOf, extraHistory, stats, TYPES } = require('./dataset');
const { scoreQuestion, aggregate, pct } = require('./metrics');

const JSON_OUT = process.argv.includes('--json');
const say = (line = '') => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);
const DATABASE_URL = process.env.VARIANTS_DATABASE_URL || DEFAULT_DATABASE_URL;
// The data set as is (~140 memories per namespace), and with VARIANTS_EXTRA turns of extra
// chit-chat history per namespace (dataset.js extraHistory), where ranking matters more.
const EXTRA = Number(process.env.VARIANTS_EXTRA ?? 2000);
const K = 10;
const NEIGHBOUR_GAP_MINUTES = 30;
const GATEWAY_MIN_SCORE = 0.1;

// Generic synonyms for the things people tell an assistant about themselves (family, pets,
// work, home, travel, health, food, tastes). Keys and values are plain words; values are
// added to the query (OR).
const SYNONYMS = {
  job: ['work', 'career', 'employer', 'occupation', 'company', 'profession'],
  work: ['job', 'employer', 'company', 'office', 'career'],
  working: ['job', 'employer', 'company'],
  occupation: ['job', 'work', 'career', 'profession'],
  living: ['job', 'work', 'live', 'home'],
  employer: ['company', 'job', 'work'],
  company: ['employer', 'job', 'work'],
  pet: ['dog', 'cat', 'puppy', 'kitten', 'animal'],
  pets: ['dog', 'cat', 'puppy', 'kitten', 'animal'],
  animal: ['pet', 'dog', 'cat'],
  animals: ['pet', 'dog', 'cat'],
  dog: ['puppy', 'pet'],
  cat: ['kitten', 'pet'],
  sibling: ['sister', 'brother'],
  siblings: ['sister', 'brother'],
  kid: ['son', 'daughter', 'child', 'children'],
  kids: ['son', 'daughter', 'child', 'children'],
  child: ['son', 'daughter', 'kid'],
  little: ['son', 'daughter', 'kid'],
  spouse: ['wife', 'husband', 'partner'],
  significant: ['wife', 'husband', 'partner', 'girlfriend', 'boyfriend'],
  half: ['wife', 'husband', 'partner', 'girlfriend', 'boyfriend'],
  married: ['wife', 'husband', 'wedding'],
  live: ['moved', 'home', 'city', 'flat', 'apartment', 'house'],
  home: ['live', 'moved', 'flat', 'house'],
  city: ['live', 'moved', 'town'],
  move: ['moved', 'live', 'relocated'],
  moved: ['move', 'live', 'relocated'],
  holiday: ['trip', 'vacation', 'travel', 'flights', 'booked'],
  vacation: ['trip', 'holiday', 'travel', 'flights', 'booked'],
  trip: ['holiday', 'vacation', 'travel', 'flight'],
  travel: ['trip', 'flight', 'visit', 'holiday'],
  travelled: ['trip', 'visited', 'back', 'holiday'],
  visiting: ['trip', 'travel', 'holiday'],
  visited: ['trip', 'travel', 'back'],
  destination: ['trip', 'travel', 'holiday', 'flights'],
  flight: ['flights', 'flying', 'trip'],
  fly: ['flights', 'flying', 'flight', 'trip'],
  allergy: ['allergic', 'allergies', 'reaction'],
  allergies: ['allergic', 'allergy', 'reaction'],
  allergic: ['allergy', 'allergies', 'reaction'],
  avoid: ['allergic', 'allergy'],
  ingredient: ['allergic', 'allergy', 'food'],
  food: ['cuisine', 'dish', 'eat', 'restaurant'],
  foods: ['cuisine', 'dish', 'eat', 'allergic'],
  cuisine: ['food', 'dish', 'restaurant'],
  restaurant: ['food', 'cuisine'],
  eat: ['food', 'ate', 'eating'],
  meat: ['vegetarian', 'vegan', 'pescatarian', 'steak'],
  diet: ['vegetarian', 'vegan', 'pescatarian'],
  music: ['listen', 'songs', 'band', 'playlist'],
  songs: ['music', 'listen', 'band', 'playlist'],
  hobby: ['class', 'club', 'lessons'],
  born: ['birthday'],
  birthday: ['born'],
  injured: ['broke', 'broken', 'hurt', 'injury'],
  injury: ['broke', 'broken', 'hurt', 'injured'],
  hurt: ['broke', 'broken', 'injured', 'injury'],
  break: ['broke', 'broken'],
  car: ['drive', 'vehicle'],
  drive: ['car', 'drives'],
  drink: ['coffee', 'tea', 'drinking'],
  doctor: ['dr', 'gp'],
  race: ['marathon', 'run', 'running'],
  play: ['instrument', 'learning'],
  name: ['called'],
  called: ['name'],
};

// Words that make a message a question to the assistant rather than carry its topic.
const CONVERSATIONAL = new Set(
  'remind remember recall forgot forget forgotten quick question random sorry memory terrible hey tell know please again right recently these days current currently'.split(
    ' ',
  ),
);

function expand(text) {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  const extra = words.flatMap((w) => SYNONYMS[w.replace(/'s$/, '')] ?? []);
  return `${text} ${extra.join(' ')}`;
}

function stripConversational(text) {
  return text.replace(/[A-Za-z']+/g, (w) => (CONVERSATIONAL.has(w.toLowerCase()) ? ' ' : w));
}

/** tsquery text for to_tsquery('simple', ...) from stemmed lexemes. */
function orQuery(lexemes, prefix = false) {
  return lexemes.map((l) => `'${l.replace(/'/g, "''")}'${prefix ? ':*' : ''}`).join(' | ');
}

/**
 * A variant: how to build the query and rank. `run(ctx, q)` returns memory ids, best first.
 *   match: 'and' | 'or' | 'prefix' | 'and-or'
 *   rank: 'cd' | 'rank'; norm: integer; minScore (on rank/(rank+1)); doc: 'own' | 'ctx-prev' |
 *   'ctx-next' | 'ctx-both'; recency: { w, tauDays }; extra: 'next' | 'prev' | 'both';
 *   query: 'raw' | 'expand' | 'strip' | 'strip+expand'
 */
function variant(name, o) {
  return {
    name,
    o: { match: 'or', rank: 'cd', norm: 32, minScore: 0, doc: 'own', query: 'raw', ...o },
  };
}

const VARIANTS = [
  variant('repository.search() of this build (context = previous turn)', { repository: true }),
  variant('AND (websearch_to_tsquery), cd/32, first repository', { match: 'and' }),
  variant('OR of lexemes, cd/32, minScore 0.1 (the gateway)', { minScore: GATEWAY_MIN_SCORE }),
  variant('OR, cd/32, no minScore', {}),
  variant('AND, then OR to fill k', { match: 'and-or' }),
  variant('OR, ts_rank_cd norm 1 (log length)', { norm: 1 }),
  variant('OR, ts_rank_cd norm 2 (length)', { norm: 2 }),
  variant('OR, ts_rank_cd norm 8 (unique words)', { norm: 8 }),
  variant('OR, ts_rank norm 0', { rank: 'rank', norm: 0 }),
  variant('OR, ts_rank norm 1', { rank: 'rank', norm: 1 }),
  variant('OR, ts_rank norm 2', { rank: 'rank', norm: 2 }),
  variant('OR, prefix match word:*', { match: 'prefix' }),
  variant('OR + previous turn words (weight C)', { doc: 'ctx-prev' }),
  variant('OR + next turn words (weight C)', { doc: 'ctx-next' }),
  variant('OR + prev & next turn words (weight C)', { doc: 'ctx-both' }),
  variant('OR + prev & next turn words (weight D)', { doc: 'ctx-both', ctxWeight: 'D' }),
  variant('OR, hits + their next turn as results', { extra: 'next' }),
  variant('OR, hits + their prev turn as results', { extra: 'prev' }),
  variant('OR, hits + prev & next turns as results', { extra: 'both' }),
  variant('OR, recency boost w=0.3 tau=30d', { recency: { w: 0.3, tauDays: 30 } }),
  variant('OR, recency boost w=1 tau=30d', { recency: { w: 1, tauDays: 30 } }),
  variant('OR, conversational words dropped', { query: 'strip' }),
  variant('OR, synonym expansion', { query: 'expand' }),
  variant('OR, dropped + synonyms', { query: 'strip+expand' }),
  variant('OR, norm 1 + prev & next turn words', { norm: 1, doc: 'ctx-both' }),
  variant('OR, norm 2 + prev & next turn words', { norm: 2, doc: 'ctx-both' }),
  variant('OR, norm 1 + prev & next words + dropped', { norm: 1, doc: 'ctx-both', query: 'strip' }),
  variant('OR, prev-turn words + hits next turn', { doc: 'ctx-prev', extra: 'next' }),
  variant('OR, prev-turn words + recency w=0.3', {
    doc: 'ctx-prev',
    recency: { w: 0.3, tauDays: 30 },
  }),
  variant('OR, prev-turn words + dropped + synonyms', { doc: 'ctx-prev', query: 'strip+expand' }),
  variant('OR, prev-turn words + dropped + synonyms + recency w=0.3', {
    doc: 'ctx-prev',
    query: 'strip+expand',
    recency: { w: 0.3, tauDays: 30 },
  }),
  variant('OR, prev-turn words + hits next turn + dropped + synonyms + recency w=0.3', {
    doc: 'ctx-prev',
    extra: 'next',
    query: 'strip+expand',
    recency: { w: 0.3, tauDays: 30 },
  }),
];

async function lexemesOf(sql, text) {
  const { rows } = await sql.query(`SELECT tsvector_to_array(to_tsvector('english', $1)) AS l`, [
    text,
  ]);
  return rows[0].l ?? [];
}

function queryText(o, text) {
  if (o.query === 'expand') return expand(text);
  if (o.query === 'strip') return stripConversational(text);
  if (o.query === 'strip+expand') return expand(stripConversational(text));
  return text;
}

async function runVariant(sql, o, q, tenant, repo) {
  if (o.repository) {
    const found = await repo.search(tenant, q.namespace, q.text, {
      limit: K,
      minScore: GATEWAY_MIN_SCORE,
    });
    return found.map((m) => m.id);
  }
  const text = queryText(o, q.text);
  const docExpr = o.doc === 'own' ? 'c.own' : `c.${o.doc.replace('-', '_')}_${o.ctxWeight ?? 'C'}`;
  const fn = o.rank === 'cd' ? 'ts_rank_cd' : 'ts_rank';
  const raw = `${fn}(${docExpr}, q.q, ${o.norm})`;
  // The threshold is on the gateway's scale, rank/(rank+1), whatever the normalisation.
  const threshold =
    o.minScore > 0 ? `AND ${fn}(${docExpr}, q.q, ${o.norm} | 32) >= ${o.minScore}` : '';
  const score = o.recency
    ? `${raw} * (1 + ${o.recency.w} * exp(-extract(epoch FROM ($4::timestamptz - m.created_at)) / 86400.0 / ${o.recency.tauDays}))`
    : raw;
  const join = 'JOIN ctx c ON c.id = m.id';
  const search = async (tsquery, params) => {
    if (!o.recency) params = params.slice(0, 3); // $4, the time of the question, only for recency
    const { rows } = await sql.query(
      `WITH q AS (SELECT ${tsquery} AS q)
       SELECT m.id FROM memories m ${join}, q
       WHERE m.tenant = $1 AND m.namespace = $2 AND ${docExpr} @@ q.q ${threshold}
       ORDER BY ${score} DESC, m.created_at DESC, m.seq DESC
       LIMIT ${K}`,
      params,
    );
    return rows.map((r) => r.id);
  };
  const base = [tenant, q.namespace];
  let ids;
  const orIds = async (prefix) => {
    const lex = await lexemesOf(sql, text);
    if (lex.length === 0) return [];
    return search(`to_tsquery('simple', $3)`, [...base, orQuery(lex, prefix), q.askedAt]);
  };
  const andIds = () => search(`websearch_to_tsquery('english', $3)`, [...base, text, q.askedAt]);
  if (o.match === 'and') ids = await andIds();
  else if (o.match === 'or') ids = await orIds(false);
  else if (o.match === 'prefix') ids = await orIds(true);
  else if (o.match === 'and-or') ids = [...new Set([...(await andIds()), ...(await orIds(false))])];

  if (o.extra) {
    const { rows } = await sql.query(
      `SELECT id, prev_id, next_id FROM ctx WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const by = new Map(rows.map((r) => [r.id, r]));
    const out = [];
    const push = (id) => id && !out.includes(id) && out.push(id);
    for (const id of ids) {
      if (o.extra === 'prev' || o.extra === 'both') push(by.get(id)?.prev_id);
      push(id);
      if (o.extra === 'next' || o.extra === 'both') push(by.get(id)?.next_id);
    }
    ids = out;
  }
  return ids.slice(0, K);
}

async function main() {
  const { createPgClient } = requireDist('memory/sql-client.js');
  const { runMigrations } = requireDist('memory/migrations.js');
  const { PostgresMemoryRepository: MemoryRepository } = requireDist('memory/memory.repository.js');
  const ds = buildDataset({
    seed: process.env.EVAL_SEED ? Number(process.env.EVAL_SEED) : undefined,
    personas: process.env.EVAL_PERSONAS ? Number(process.env.EVAL_PERSONAS) : undefined,
  });
  const schema = schemaName('memory_variants');
  await adminQuery(DATABASE_URL, `CREATE SCHEMA ${schema}`);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      say(`\nvariants: ${sig}, dropping schema ${schema}`);
      adminQuery(DATABASE_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() =>
        process.exit(130),
      );
    });
  }
  const sql = createPgClient(DATABASE_URL, { options: `-c search_path=${schema}`, max: 4 });
  try {
    await runMigrations(sql);
    const repo = new MemoryRepository(sql);
    const conditions = [{ name: 'small', tenant: 'variants-small', memoryIdOf: new Map() }];
    if (EXTRA > 0) {
      conditions.push(
        {
          name: `+${EXTRA}`,
          tenant: 'variants-large',
          extra: extraHistory(ds, EXTRA),
          memoryIdOf: new Map(),
        },
        // Control: the extra turns above average 23 words, the evidence 12; these are one filler
        // sentence each (~9 words), so a gain from length normalisation is not just "shorter wins".
        {
          name: '+short',
          tenant: 'variants-short',
          extra: extraHistory(ds, EXTRA, ds.seed + 1, { maxSentences: 1 }),
          memoryIdOf: new Map(),
        },
      );
    }
    // Neighbours: the turns just before and after in the namespace's history, unless further than
    // NEIGHBOUR_GAP apart (another session: the store has no session ids). Each memory is written
    // with `context` = the previous turn, as the gateway's writer can do at write time; builds
    // whose repository has no context column ignore it.
    const gapMs = NEIGHBOUR_GAP_MINUTES * 60_000;
    const nb = { id: [], prevId: [], nextId: [], prev: [], next: [] };
    for (const c of conditions) {
      for (const persona of ds.personas) {
        const turns = [
          ...turnsOf(persona),
          ...(c.extra ? c.extra.get(persona.namespace) : []),
        ].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        const near = (i, j) =>
          j >= 0 &&
          j < turns.length &&
          Math.abs(Date.parse(turns[i].createdAt) - Date.parse(turns[j].createdAt)) <= gapMs
            ? turns[j]
            : undefined;
        const result = await repo.add(
          c.tenant,
          persona.namespace,
          turns.map((t, i) => ({
            content: t.content,
            role: t.role,
            createdAt: new Date(t.createdAt),
            context: near(i, i - 1)?.content,
          })),
        );
        const ids = result.items.map((item) => item.id);
        turns.forEach((t, i) => c.memoryIdOf.set(t.id, ids[i]));
        const done = new Set();
        turns.forEach((t, i) => {
          if (result.items[i].duplicate || done.has(ids[i])) return;
          done.add(ids[i]);
          const prev = near(i, i - 1);
          const next = near(i, i + 1);
          nb.id.push(ids[i]);
          nb.prevId.push(prev ? ids[i - 1] : null);
          nb.nextId.push(next ? ids[i + 1] : null);
          nb.prev.push(prev?.content ?? '');
          nb.next.push(next?.content ?? '');
        });
      }
      const { rows } = await sql.query(
        'SELECT count(*)::int AS n FROM memories WHERE tenant = $1',
        [c.tenant],
      );
      c.memories = rows[0].n;
    }
    // The variants rank their own vectors of the content (not the table's `search` column, whose
    // definition changes as the gateway evolves): own = content alone, ctx_* = content at weight A
    // and the neighbours' words at weight C or D.
    await sql.exec(
      'CREATE TABLE nb (id uuid PRIMARY KEY, prev_id uuid, next_id uuid, prev text, next text)',
    );
    for (let i = 0; i < nb.id.length; i += 5000) {
      const part = (a) => a.slice(i, i + 5000);
      await sql.query(
        `INSERT INTO nb SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])`,
        [part(nb.id), part(nb.prevId), part(nb.nextId), part(nb.prev), part(nb.next)],
      );
    }
    await sql.exec(`
      CREATE TABLE ctx AS
      SELECT nb.id, nb.prev_id, nb.next_id, o.own,
        setweight(o.own, 'A') || setweight(to_tsvector('english', nb.prev), 'C') AS ctx_prev_C,
        setweight(o.own, 'A') || setweight(to_tsvector('english', nb.next), 'C') AS ctx_next_C,
        setweight(o.own, 'A') || setweight(to_tsvector('english', nb.prev || ' ' || nb.next), 'C') AS ctx_both_C,
        setweight(o.own, 'A') || setweight(to_tsvector('english', nb.prev || ' ' || nb.next), 'D') AS ctx_both_D
      FROM nb JOIN memories m ON m.id = nb.id,
        LATERAL (SELECT to_tsvector('english', m.content) AS own) AS o;
      CREATE UNIQUE INDEX ctx_id ON ctx (id);
      ANALYZE memories; ANALYZE ctx;
    `);
    say(
      `variants: ${ds.personas.length} namespaces, ${ds.questions.length} questions, schema ${schema}; ` +
        conditions
          .map(
            (c) =>
              `${c.name}: ${c.memories} memories (${Math.round(c.memories / ds.personas.length)} per namespace)`,
          )
          .join(', '),
    );

    // Sanity: our SQL must reproduce the build's repository.search(): content alone before
    // migration 0003 (neighbour context), content + previous turn at weight C after it.
    const { rows: columns } = await sql.query(
      `SELECT 1 FROM information_schema.columns
       WHERE table_schema = $1 AND table_name = 'memories' AND column_name = 'context'`,
      [schema],
    );
    const twin = VARIANTS.find((v) =>
      columns.length
        ? v.o.doc === 'ctx-prev' && !v.o.extra && v.o.query === 'raw' && !v.o.recency
        : v.o.minScore > 0,
    );
    let mismatches = 0;
    const probe = ds.questions.slice(0, 100);
    for (const q of probe) {
      const c = conditions.at(-1);
      const mine = await runVariant(sql, twin.o, q, c.tenant);
      const theirs = await runVariant(sql, { repository: true }, q, c.tenant, repo);
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) mismatches++;
    }
    say(
      `variants: the build's repository.search() ${columns.length ? 'indexes a context column' : 'has no context column'}; ` +
        `"${twin.name}" reproduces it on ${probe.length - mismatches}/${probe.length} questions`,
    );

    const results = [];
    for (const v of VARIANTS) {
      const entry = { name: v.name, options: v.o, conditions: {} };
      for (const c of conditions) {
        const t0 = performance.now();
        const rows = [];
        for (const q of ds.questions) {
          const ids = await runVariant(sql, v.o, q, c.tenant, repo);
          rows.push({
            id: q.id,
            type: q.type,
            ...scoreQuestion(
              q.evidence.map((id) => c.memoryIdOf.get(id)),
              ids,
            ),
          });
        }
        entry.conditions[c.name] = {
          ms: performance.now() - t0,
          ...aggregate(rows),
          perQuestionR10: Object.fromEntries(rows.map((r) => [r.id, r.r10])),
        };
      }
      results.push(entry);
      if (!JSON_OUT && process.stdout.isTTY) {
        process.stdout.write(`\r  ${results.length}/${VARIANTS.length} variants`);
      }
    }
    if (!JSON_OUT && process.stdout.isTTY) process.stdout.write('\r');

    const names = conditions.map((c) => c.name);
    say('');
    say(
      `Recall over ${ds.questions.length} questions (k = ${K}); columns per namespace size: ${conditions
        .map((c) => `${c.name} = ~${Math.round(c.memories / ds.personas.length)} memories`)
        .join(', ')}`,
    );
    say(
      table(
        ['#', 'variant', ...names.flatMap((n) => [`${n} R@5`, `R@10`, `MRR`])],
        results.map((r, i) => [
          i + 1,
          r.name,
          ...names.flatMap((n) => {
            const m = r.conditions[n].overall;
            return [pct(m.r5), pct(m.r10), fmt(m.rr, 3)];
          }),
        ]),
        2,
      ),
    );
    const types = TYPES.filter((t) => results[0].conditions[names[0]].byType[t]);
    for (const n of names) {
      say('');
      say(`R@5 / R@10 % by question type, ${n}`);
      say(
        table(
          ['#', ...types.map((t) => `${t} (${results[0].conditions[n].byType[t].n})`)],
          results.map((r, i) => [
            i + 1,
            ...types.map(
              (t) => `${pct(r.conditions[n].byType[t].r5)} / ${pct(r.conditions[n].byType[t].r10)}`,
            ),
          ]),
        ),
      );
    }
    const file = writeResult('variants', {
      kind: 'memory-retrieval-variants',
      at: new Date().toISOString(),
      dataset: stats(ds),
      conditions: conditions.map((c) => ({ name: c.name, memories: c.memories })),
      k: K,
      neighbourGapMinutes: NEIGHBOUR_GAP_MINUTES,
      synonyms: SYNONYMS,
      conversational: [...CONVERSATIONAL],
      variants: results,
    });
    say(`\nvariants: wrote ${file}`);
    if (JSON_OUT) {
      process.stdout.write(
        `${JSON.stringify(
          results.map((r) => ({
            ...r,
            conditions: Object.fromEntries(
              Object.entries(r.conditions).map(([n, { perQuestionR10, ...m }]) => [n, m]),
            ),
          })),
          null,
          2,
        )}\n`,
      );
    }
  } finally {
    await sql.close();
    if (process.env.VARIANTS_KEEP_SCHEMA === '1') say(`variants: kept schema ${schema}`);
    else await adminQuery(DATABASE_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

main().catch((err) => {
  say(`variants: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
