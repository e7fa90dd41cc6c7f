'use strict';
/**
 * The performance floor: the least a forwarding gateway can do, with no framework.
 *
 * POST /v1/chat/completions: read the body, JSON.parse it (a real gateway must), JSON.stringify
 * it again, forward it to `${UPSTREAM_URL}/chat/completions` over a keep-alive undici Pool and
 * stream the upstream answer back (status, content-type, content-length when given, body piped).
 * Bad JSON -> 400, upstream failure -> 502, any other route -> 404.
 *
 * Env: PORT (default 4020), UPSTREAM_URL (base including /v1; OPENAI_BASE_URL is accepted too),
 * UPSTREAM_API_KEY (default sk-bench).
 */
const http = require('node:http');
const { pipeline } = require('node:stream');
const { Pool } = require('undici');

const port = Number(process.env.PORT ?? 4020);
const base = new URL(
  process.env.UPSTREAM_URL ?? process.env.OPENAI_BASE_URL ?? 'http://127.0.0.1:4010/v1',
);
const upstreamPath = `${base.pathname.replace(/\/$/, '')}/chat/completions`;
const authorization = `Bearer ${process.env.UPSTREAM_API_KEY ?? 'sk-bench'}`;
const MAX_BODY = 1024 * 1024;

const pool = new Pool(base.origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });

function sendError(res, status, message) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = JSON.stringify({
    error: { message, type: 'floor_error', param: null, code: null },
  });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url.split('?')[0] !== '/v1/chat/completions') {
    req.resume();
    sendError(res, 404, `Unknown route ${req.method} ${req.url}`);
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      sendError(res, 413, 'Request body too large');
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    let payload;
    try {
      payload = JSON.stringify(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
    } catch {
      sendError(res, 400, 'Request body is not valid JSON');
      return;
    }
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    pool
      .request({
        path: upstreamPath,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: payload,
        signal: ac.signal,
      })
      .then(({ statusCode, headers, body }) => {
        const out = {};
        if (headers['content-type']) out['content-type'] = headers['content-type'];
        if (headers['content-length']) out['content-length'] = headers['content-length'];
        res.writeHead(statusCode, out);
        pipeline(body, res, () => {});
      })
      .catch((err) => sendError(res, 502, `Upstream failure: ${err.message}`));
  });
  req.on('error', () => res.destroy());
});

server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => {
  console.log(
    `floor on http://127.0.0.1:${server.address().port} -> ${base.origin}${upstreamPath}`,
  );
});

function shutdown() {
  server.close();
  server.closeAllConnections();
  pool.close().finally(() => process.exit(0));
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
