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
      return streamAnswer(res, body, scripted);
    }
    return sendJson(res, 200, scripted.body ?? completion(body), scripted.headers);
  }

  function completion(body) {
    const content = scriptedAnswer(body);
    const usage = usageFor(body, content);
    return {
      id: `chatcmpl-fake${++counter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body?.model ?? 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage,
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    };
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

  async function streamAnswer(res, body, scripted) {
    const id = `chatcmpl-fake${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? 'gpt-4o-mini';
    const includeUsage = body.stream_options?.include_usage === true;
    const fragments = scripted.chunks ?? splitWords(scriptedAnswer(body));
    const base = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_fake',
    };
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...scripted.headers,
    });
    const send = (obj) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
    send({
      ...base,
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', content: '', refusal: null },
          logprobs: null,
          finish_reason: null,
        },
      ],
    });
    for (let i = 0; i < fragments.length; i++) {
      if (scripted.chunkDelayMs) {
        await sleep(scripted.chunkDelayMs);
      }
      if (res.destroyed) {
        return;
      }
      send({
        ...base,
        choices: [
          { index: 0, delta: { content: fragments[i] }, logprobs: null, finish_reason: null },
        ],
      });
      if (i === 0 && scripted.drop === 'after-first-chunk') {
        // Let the chunks reach the gateway (and its client) before the connection dies.
        await sleep(100);
        res.socket?.destroy();
        return;
      }
    }
    send({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] });
    if (includeUsage) {
      send({ ...base, choices: [], usage: usageFor(body, fragments.join('')) });
    }
    res.end('data: [DONE]\n\n');
  }

  async function sendRawSse(res, scripted) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const raw = scripted.rawSse;
    const step = Math.max(1, scripted.splitAt ?? raw.length);
    for (let i = 0; i < raw.length; i += step) {
      res.write(raw.slice(i, i + step));
      await sleep(scripted.chunkDelayMs ?? 1);
    }
    res.end();
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

// Words with the same meaning share a dimension, so the fake's vectors find paraphrases
// ("puppy" for "dog") that full-text search cannot: enough to show what hybrid ranking adds.
const CONCEPTS = {
  dog: 'dog',
  puppy: 'dog',
  pet: 'dog',
  canine: 'dog',
  hound: 'dog',
  job: 'work',
  work: 'work',
  employer: 'work',
  career: 'work',
  occupation: 'work',
  sister: 'sibling',
  brother: 'sibling',
  sibling: 'sibling',
  city: 'home',
  live: 'home',
  moved: 'home',
  home: 'home',
};
const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'is',
  'my',
  'i',
  'what',
  'to',
  'of',
  'and',
  'do',
  'you',
]);
const DIMENSIONS = 64;

/** A deterministic unit vector: one dimension per concept or word (hashed), counted. */
function embed(text) {
  const vector = new Array(DIMENSIONS).fill(0);
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (STOP_WORDS.has(raw)) continue;
    const word = raw.length > 3 && raw.endsWith('s') ? raw.slice(0, -1) : raw;
    const key = CONCEPTS[word] ?? word;
    let hash = 0;
    for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    vector[hash % DIMENSIONS] += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function usageFor(body, content) {
  const promptText = JSON.stringify(body?.messages ?? []);
  const prompt_tokens = Math.max(1, Math.ceil(promptText.length / 4));
  const completion_tokens = Math.max(1, Math.ceil(content.length / 4));
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function splitWords(text) {
  return text.match(/\S+\s*/g) ?? [text];
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
