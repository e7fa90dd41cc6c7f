'use strict';
/**
 * The servers a run measures, each started on a free loopback port and waited for: the fake
 * upstream they all forward to, the direct mock, the floor, and the gateway with its memory and
 * Responses routes.
 */
const {
  FAKE,
  FLOOR,
  GATEWAY,
  GATEWAY_CMD,
  GATEWAY_NODE_ARGS,
  PROXY_KEY,
  RESPONSES_REQUEST,
  TARGETS,
} = require('./config');
const { freePort, start, waitReady } = require('./processes');

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

/** Starts the fake upstream and the targets of BENCH_TARGETS, in that order. */
async function startTargets() {
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
  return { upstreamBase, targets };
}

module.exports = { gatewayEnv, startTargets };
