'use strict';
/**
 * The many-tenants mode of search-bench.js (BENCH_MODE=tenants): BENCH_TENANT_NAMESPACES
 * (1000) namespaces of BENCH_TENANT_MEMORIES (1000) memories each, 1,000,000 in all, loaded
 * through the HTTP batch API, one namespace per batch, BENCH_LOAD_CONCURRENCY batches in flight
 * (default 4 on Postgres, 1 on SQLite). The queries then go to one of them (MEASURED_NAMESPACE, loaded halfway): a small
 * tenant's search must not pay for the others' rows.
 */
const { api } = require('./common');
const { corpus } = require('./dataset');

const NAMESPACES = Number(process.env.BENCH_TENANT_NAMESPACES ?? 1000);
const PER_NAMESPACE = Number(process.env.BENCH_TENANT_MEMORIES ?? 1000);
// SQLite writes one transaction at a time on the event loop: batches in flight there only
// queue (and time out on a loaded machine); Postgres indexes several namespaces at once.
const concurrency = (store) =>
  Number(process.env.BENCH_LOAD_CONCURRENCY ?? (store === 'postgres' ? 4 : 1));
// Distinct text is drawn from one pool: a namespace takes a slice of it at its own offset.
const POOL = 100_000;
const namespaceName = (i) => `tenant-${String(i).padStart(4, '0')}`;
const MEASURED_NAMESPACE = namespaceName(Math.floor(NAMESPACES / 2));

/** Namespace i's batch: a slice of the pool, half of it naming Maya and Tom. */
function batchOf(pool, i) {
  const size = Math.min(PER_NAMESPACE, pool.length);
  const start = (i * 7919) % (pool.length - size + 1);
  return pool.slice(start, start + size).map((t, j) => ({
    content: j % 2 === 0 ? `Maya and Tom: ${t.content}` : t.content,
    role: t.role,
    created_at: t.createdAt,
  }));
}

/** Loads every namespace; returns { inserted, ms, rowsPerSecond }. */
async function loadTenants(gateway, store, progress = () => undefined) {
  const pool = corpus(Math.max(POOL, PER_NAMESPACE));
  const started = performance.now();
  let inserted = 0;
  let retries = 0;
  let next = 0;
  const post = (i) =>
    api(
      gateway.url,
      'POST',
      `/v1/memory/namespaces/${namespaceName(i)}/memories?conversation=true`,
      batchOf(pool, i),
    );
  const worker = async () => {
    while (next < NAMESPACES) {
      const i = next++;
      // A keep-alive connection closed under the request ("other side closed", seen on a
      // loaded machine) is retried once: a batch is idempotent (duplicates are skipped), and
      // its rows count once either way (inserted + skipped).
      const res = await post(i)
        .catch(() => {
          retries += 1;
          return post(i);
        })
        .catch((error) => {
          throw new Error(
            `load ${namespaceName(i)}: ${error.message} (${error.cause?.message ?? 'no cause'})` +
              (gateway.alive() ? '' : `; the gateway exited:\n${gateway.stderr()}`),
          );
        });
      if (res.status !== 201) {
        throw new Error(`load ${namespaceName(i)}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      }
      inserted += res.body.inserted + res.body.skipped;
      progress(inserted);
    }
  };
  await Promise.all(Array.from({ length: concurrency(store) }, worker));
  const ms = performance.now() - started;
  return { inserted, ms, rowsPerSecond: inserted / (ms / 1000), retries };
}

module.exports = { loadTenants, MEASURED_NAMESPACE, NAMESPACES, PER_NAMESPACE };
