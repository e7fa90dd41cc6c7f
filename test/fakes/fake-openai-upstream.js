'use strict';
/**
 * A real HTTP server on loopback that speaks the OpenAI Chat Completions protocol
 * (see shared/reference/openai-chat-api.md). Tests, the demo and the benchmark all use it
 * in place of api.openai.com, so it is plain CommonJS that runs under node and jest alike.
 *
 * Behaviour, in order of precedence:
 *  1. scripted replies queued for the requested model with `enqueueFor()`, then those queued
 *     for any model with `enqueue()` (tests): status/body, delays, streams that fail before or
 *     after the first byte, dropped connections;
 *  2. otherwise a well-formed answer: JSON, or SSE chunks when `stream: true`, with the
 *     usage chunk when `stream_options.include_usage` is set.
 */
const http = require('node:http');
const { sendJson, sleep } = require('./fake-http');
const { handleResponses } = require('./fake-responses');
const { chatCompletion, sendRawSse, streamChatAnswer } = require('./fake-openai-chat');
const { embed } = require('./fake-embeddings');

const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'o4-mini'];

/**
 * @typedef {object} ScriptedReply
 * @property {number} [status]        HTTP status to answer with (default 200)
 * @property {object|string} [body]   JSON body (or raw text) for non-stream replies and errors
 * @property {Record<string,string>} [headers]
 * @property {number} [delayMs]       wait before sending headers
 * @property {string[]} [chunks]      content fragments to stream (stream requests)
 * @property {number} [chunkDelayMs]  wait between streamed chunks
 * @property {'before-headers'|'after-first-chunk'} [drop] destroy the socket at that point
 * @property {boolean} [hang]         never answer (for timeouts and client aborts)
 * @property {string} [rawSse]        exact SSE bytes to send, split into `splitAt` pieces
 * @property {number} [splitAt]
 */

/**
 * @param {{ port?: number, models?: string[], record?: boolean, answer?: string, responses?: boolean }} [options]
 *   `responses: false` makes it a Chat-only server: `/v1/responses` is an unknown route (404).
 */
function createFakeOpenAiUpstream(options = {}) {
  const models = options.models ?? DEFAULT_MODELS;
  const servesResponses = options.responses ?? true;
  const record = options.record ?? true;
  const answer = options.answer ?? 'Hello! How can I help you today?';
  /** @type {Array<{method:string,path:string,headers:object,body:any,model:string|undefined,aborted:boolean}>} */
  const requests = [];
  /** @type {ScriptedReply[]} */
  const queue = [];
  /** @type {Map<string, ScriptedReply[]>} replies for one model, taken before `queue` */
  const queues = new Map();
  const embeddingQueue = [];
  let counter = 0;

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const model =
        body !== null && typeof body === 'object' && typeof body.model === 'string'
          ? body.model
          : undefined;
      const entry = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        body,
        model,
        aborted: false,
      };
      if (record) {
        requests.push(entry);
      }
      res.on('close', () => {
        if (!res.writableFinished) {
          entry.aborted = true;
        }
      });
      route(req, res, body).catch((err) => {
        res.destroy(err);
      });
    });
  });

  async function route(req, res, body) {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: models.map((id) => ({
          id,
          object: 'model',
          created: 1700000000,
          owned_by: 'openai',
        })),
      });
    }
    if (req.method === 'GET' && path.startsWith('/v1/models/')) {
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      if (!models.includes(id)) {
        return sendJson(
          res,
          404,
          errorBody(`The model \`${id}\` does not exist.`, 'model_not_found'),
        );
      }
      return sendJson(res, 200, { id, object: 'model', created: 1700000000, owned_by: 'openai' });
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      const scripted = embeddingQueue.shift();
      if (scripted?.status) {
        return sendJson(res, scripted.status, scripted.body ?? errorBody('Scripted failure', null));
      }
      const inputs = Array.isArray(body?.input) ? body.input : [body?.input];
      return sendJson(res, 200, {
        object: 'list',
        model: body?.model,
        data: inputs.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: embed(String(text)),
        })),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      });
    }
    const isResponses = servesResponses && req.method === 'POST' && path === '/v1/responses';
    if (!isResponses && (req.method !== 'POST' || path !== '/v1/chat/completions')) {
      return sendJson(res, 404, errorBody(`Unknown route ${req.method} ${path}`, null));
    }
    if (req.headers['authorization'] === undefined) {
      return sendJson(res, 401, errorBody("You didn't provide an API key.", 'invalid_api_key'));
    }
    const scripted = queues.get(body?.model)?.shift() ?? queue.shift() ?? {};
    if (scripted.hang) {
      return;
    }
    if (scripted.delayMs) {
      await sleep(scripted.delayMs);
    }
    if (scripted.drop === 'before-headers') {
      res.socket?.destroy();
      return;
    }
    if (scripted.status && scripted.status !== 200) {
      return sendJson(
        res,
        scripted.status,
        scripted.body ?? errorBody('Scripted failure', null),
        scripted.headers,
      );
    }
    if (scripted.rawSse !== undefined) {
      return sendRawSse(res, scripted);
    }
    if (isResponses) {
      return handleResponses(res, body, scripted, answer);
    }
    if (body && body.stream === true) {
      return streamChatAnswer(
        res,
        body,
        scripted,
        `chatcmpl-fake${++counter}`,
        scriptedAnswer(body),
      );
    }
    return sendJson(
      res,
      200,
      scripted.body ?? chatCompletion(`chatcmpl-fake${++counter}`, body, scriptedAnswer(body)),
      scripted.headers,
    );
  }

  function scriptedAnswer(body) {
    const last = Array.isArray(body?.messages)
      ? body.messages[body.messages.length - 1]
      : undefined;
    if (last && typeof last.content === 'string' && last.content.startsWith('echo:')) {
      return last.content.slice('echo:'.length).trim();
    }
    return answer;
  }

  return {
    server,
    requests,
    /** Queue scripted replies; each chat request takes the next one. */
    enqueue(...replies) {
      queue.push(...replies);
    },
    /** Queue scripted replies for requests naming this (upstream) model; they come first. */
    enqueueFor(model, ...replies) {
      const own = queues.get(model) ?? [];
      own.push(...replies);
      queues.set(model, own);
    },
    /** Scripted replies for `/v1/embeddings` (e.g. `{ status: 500 }`); else vectors are computed. */
    enqueueEmbeddings(...replies) {
      embeddingQueue.push(...replies);
    },
    /** Embedding requests only, newest last. */
    embeddingRequests() {
      return requests.filter((r) => r.path.startsWith('/v1/embeddings'));
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
      embeddingQueue.length = 0;
      queues.clear();
    },
    /** `/v1/responses` requests only, newest last. */
    responsesRequests() {
      return requests.filter((r) => r.path.startsWith('/v1/responses'));
    },
    /** Chat requests only, newest last. */
    chatRequests() {
      return requests.filter((r) => r.path.startsWith('/v1/chat/completions'));
    },
    get url() {
      const address = server.address();
      return `http://127.0.0.1:${address.port}/v1`;
    },
    listen() {
      return new Promise((resolve) =>
        server.listen(options.port ?? 0, '127.0.0.1', () => resolve(this)),
      );
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function errorBody(message, code, type = 'invalid_request_error') {
  return { error: { message, type, param: null, code } };
}

module.exports = { createFakeOpenAiUpstream, DEFAULT_MODELS };

if (require.main === module) {
  const port = Number(process.env.PORT ?? 4010);
  createFakeOpenAiUpstream({ port, record: false })
    .listen()
    .then((fake) => console.log(`fake OpenAI upstream on ${fake.url}`));
}
