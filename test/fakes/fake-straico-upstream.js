'use strict';
/**
 * A real HTTP server on loopback that speaks the Straico API (see
 * shared/reference/straico-api.md). Tests, the demo and the benchmark use it in place of
 * api.straico.com, so it is plain CommonJS that runs under node and jest alike.
 *
 * `url` is the bare origin (`http://127.0.0.1:<port>`): Straico paths carry their own version
 * (`/v0/...`, `/v1/...`, `/v2/...`).
 *
 * Routes (all need `Authorization: Bearer <apiKey>`; `X-API-Key` is not recognised):
 *   GET  /v2/models                 `{data:[...], success:true}` (chat AND image models)
 *   GET  /v2/models/<id with slashes> `{data:{...detail shape...}, success:true}`, unknown → 422
 *   GET  /v0/user                   `{data:{first_name,...,coins,plan}, success:true}`
 *   POST /v2/chat/completions, /v0/chat/completions   bare chat.completion + price + words
 *   POST /v0/prompt/completion      `{data:{completion, price, words}, success:true}`
 *   POST /v1/prompt/completion      `{data:{overall_price, overall_words, completions:{...}}, success:true}`
 *   anything else                   404 `{"error":"Not found","success":false}` (checked before auth)
 *
 * Request bodies are validated STRICTLY (unknown fields, wrong types and roles → 400) so that a
 * translation mistake in the gateway fails a test. The real status for malformed requests is
 * UNCERTAIN (no source shows one); 400 is this fake's choice. Unknown model ids → 422
 * `Model not found: <id>` as observed on the real API.
 *
 * Behaviour of POSTs, in order: auth → JSON parsing → validation → the next scripted reply
 * queued with `enqueue()` (so strictness still applies to scripted requests) → answer.
 */
const http = require('node:http');
const { sendJson, sleep } = require('./fake-http');
const { DEFAULT_MODELS, modelDetail } = require('./fake-straico-models');
const { createStraicoAnswers } = require('./fake-straico-answers');
const { createStraicoValidation } = require('./fake-straico-validation');

const DEFAULT_API_KEY = 'straico-test-key';
const DEFAULT_ANSWER = 'Hello from Straico!';
const CHAT_PATHS = ['/v0/chat/completions', '/v2/chat/completions'];
const PROMPT_PATHS = ['/v0/prompt/completion', '/v1/prompt/completion'];
const USER = { first_name: 'Jane', last_name: 'Doe', coins: 562621.19, plan: 'Ultimate Pack' };

/**
 * @typedef {object} ScriptedReply
 * @property {number} [status]       raw reply: answer this status with `body` (default body
 *                                   `{"error":"Scripted failure","success":false}` for non-2xx);
 *                                   a 2xx status without `body` = the normal answer with that status
 * @property {object|string} [body]  raw JSON body (or raw text)
 * @property {Record<string,string>} [headers] extra response headers (e.g. `retry-after`)
 * @property {number} [delayMs]      wait before answering (normally, or with the raw reply)
 * @property {boolean} [hang]        never answer
 * @property {boolean} [drop]        destroy the socket without answering (after `delayMs`)
 * @property {string} [content]      answer text instead of the default/echo answer ('' allowed)
 * @property {string|null} [reasoning] `message.reasoning`
 * @property {string} [finishReason] native finish reason (finish_reason and native_finish_reason)
 * @property {string} [model]        `completion.model` reported back (v1 map keys stay the requested ids)
 * @property {string} [justification] `model_selector_justification` (only when the selector was used)
 * @property {Record<string,string>} [modelErrors] v1 only: requested id → error text; that entry's
 *                                   completion becomes `{error}` with zero price/words
 */

/**
 * @param {{ port?: number, apiKey?: string, models?: object[], record?: boolean, answer?: string,
 *           chatStatus?: number }} [options]
 */
function createFakeStraicoUpstream(options = {}) {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const models = options.models ?? DEFAULT_MODELS;
  const record = options.record ?? true;
  const answer = options.answer ?? DEFAULT_ANSWER;
  // UNCERTAIN: the real success status of /v0|v2/chat/completions is not documented (prompt
  // endpoints answer 201). Clients must accept any 2xx; 201 is this fake's default.
  const chatStatus = options.chatStatus ?? 201;
  /** @type {Array<{method:string,path:string,headers:object,body:any,aborted:boolean}>} */
  const requests = [];
  /** @type {ScriptedReply[]} */
  const queue = [];
  /** @type {ScriptedReply[]} */
  const getQueue = [];
  const { findModel, validateChat, validateV0Prompt, validateV1Prompt } =
    createStraicoValidation(models);
  const { chatCompletion, v0Prompt, v1Prompt } = createStraicoAnswers({
    models,
    answer,
    findModel,
  });

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      let jsonError = false;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
        jsonError = true;
      }
      const entry = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        body,
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
      route(req, res, body, jsonError).catch((err) => {
        res.destroy(err);
      });
    });
  });

  async function route(req, res, body, jsonError) {
    const path = (req.url ?? '').split('?')[0];
    const isChat = req.method === 'POST' && CHAT_PATHS.includes(path);
    const isPrompt = req.method === 'POST' && PROMPT_PATHS.includes(path);
    const isGet =
      req.method === 'GET' &&
      (path === '/v2/models' || path.startsWith('/v2/models/') || path === '/v0/user');
    if (!isChat && !isPrompt && !isGet) {
      return sendJson(res, 404, fail('Not found'));
    }
    const authError = checkAuth(req.headers['authorization']);
    if (authError) {
      return sendJson(res, 401, fail(authError));
    }
    if (isGet) {
      return answerGet(req, res, path);
    }
    if (jsonError) {
      return sendJson(res, 400, fail('Body is not valid JSON'));
    }
    const contentType = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(contentType)) {
      // The real API also takes urlencoded forms on some endpoints; the gateway must send JSON.
      return sendJson(
        res,
        400,
        fail(`Content-Type must be application/json (got "${contentType}")`),
      );
    }
    const problem = isChat
      ? validateChat(body)
      : path === '/v0/prompt/completion'
        ? validateV0Prompt(body)
        : validateV1Prompt(body);
    if (problem) {
      return sendJson(res, problem.status, fail(problem.error));
    }
    const scripted = queue.shift() ?? {};
    if (await playScripted(res, scripted)) {
      return;
    }
    const status = scripted.status ?? (isChat ? chatStatus : 201);
    const reply = isChat
      ? chatCompletion(body, scripted)
      : path === '/v0/prompt/completion'
        ? v0Prompt(body, scripted)
        : v1Prompt(body, scripted);
    return sendJson(res, status, reply, scripted.headers);
  }

  /** Hang, delay, drop or raw replies; true when the reply has been dealt with. */
  async function playScripted(res, scripted) {
    if (scripted.hang) {
      return true;
    }
    if (scripted.delayMs) {
      await sleep(scripted.delayMs);
    }
    if (res.destroyed) {
      return true;
    }
    if (scripted.drop) {
      res.socket?.destroy();
      return true;
    }
    const status = scripted.status;
    if (status !== undefined && (scripted.body !== undefined || status < 200 || status > 299)) {
      sendJson(res, status, scripted.body ?? fail('Scripted failure'), scripted.headers);
      return true;
    }
    return false;
  }

  function checkAuth(header) {
    if (header === undefined || header === '' || /^Bearer\s*$/i.test(header)) {
      return 'No token provided';
    }
    return header === `Bearer ${apiKey}` ? undefined : 'Token is not valid';
  }

  async function answerGet(req, res, path) {
    const scripted = getQueue.shift() ?? {};
    if (await playScripted(res, scripted)) {
      return;
    }
    if (path === '/v0/user') {
      return sendJson(res, 200, { data: { ...USER }, success: true }, scripted.headers);
    }
    if (path === '/v2/models') {
      return sendJson(res, 200, { data: models, success: true }, scripted.headers);
    }
    // Everything after `models/` is the id; Straico does not percent-encode the slashes.
    const id = safeDecode(path.slice('/v2/models/'.length));
    const model = models.find((m) => m.id === id);
    if (!model) {
      // 422 as on the prompt endpoints; the real status for GET /v2/models/<unknown> is UNCERTAIN.
      return sendJson(res, 422, fail(`Model not found: ${id}`), scripted.headers);
    }
    return sendJson(res, 200, { data: modelDetail(model), success: true }, scripted.headers);
  }

  return {
    server,
    requests,
    /** Queue scripted replies; each chat/prompt POST that passes auth and validation takes the next one. */
    enqueue(...replies) {
      queue.push(...replies);
    },
    /** Queue scripted replies for the GET endpoints (models, model, user). */
    enqueueGet(...replies) {
      getQueue.push(...replies);
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
      getQueue.length = 0;
    },
    /** `/v0|v2/chat/completions` requests only, newest last. */
    chatRequests() {
      return requests.filter((r) => CHAT_PATHS.includes(r.path.split('?')[0]));
    },
    /** `/v0|v1/prompt/completion` requests only, newest last. */
    promptRequests() {
      return requests.filter((r) => PROMPT_PATHS.includes(r.path.split('?')[0]));
    },
    get url() {
      const address = server.address();
      return `http://127.0.0.1:${address.port}`;
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

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function fail(error) {
  return { error, success: false };
}

module.exports = { createFakeStraicoUpstream, DEFAULT_MODELS, DEFAULT_API_KEY, DEFAULT_ANSWER };

if (require.main === module) {
  const port = Number(process.env.PORT ?? 4020);
  createFakeStraicoUpstream({ port, record: false, apiKey: process.env.STRAICO_API_KEY })
    .listen()
    .then((fake) => console.log(`fake Straico upstream on ${fake.url}`));
}
