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

const DEFAULT_API_KEY = 'straico-test-key';
const DEFAULT_ANSWER = 'Hello from Straico!';
const PRICING_METHODS = ['quality', 'balance', 'budget'];
const CHAT_ROLES = ['system', 'user', 'assistant'];
const CHAT_FIELDS = [
  'model',
  'smart_llm_selector',
  'messages',
  'temperature',
  'max_tokens',
  'replace_failed_models',
];
const MESSAGE_FIELDS = ['role', 'content'];
const V0_PROMPT_FIELDS = [
  'model',
  'smart_llm_selector',
  'message',
  'temperature',
  'max_tokens',
  'replace_failed_models',
];
const V1_PROMPT_FIELDS = [
  'models',
  'smart_llm_selector',
  'message',
  'file_urls',
  'images',
  'youtube_urls',
  'display_transcripts',
  'temperature',
  'max_tokens',
  'replace_failed_models',
];
const CHAT_PATHS = ['/v0/chat/completions', '/v2/chat/completions'];
const PROMPT_PATHS = ['/v0/prompt/completion', '/v1/prompt/completion'];
const USER = { first_name: 'Jane', last_name: 'Doe', coins: 562621.19, plan: 'Ultimate Pack' };

/** `GET /v2/models` list entries (shape from the reference §6.3). */
const DEFAULT_MODELS = [
  {
    name: 'OpenAI: GPT-4o mini',
    id: 'openai/gpt-4o-mini',
    word_limit: 95000,
    pricing: { coins: 0.4, words: 100 },
    max_output: 16384,
    metadata: {
      editors_link: '',
      editors_choice_level: 2,
      pros: ['Fast', 'Cheap'],
      cons: ['Less capable than GPT-4o'],
      applications: ['Social chat', 'Summaries'],
      capabilities: ['Image input'],
      features: [],
      other: [],
      icon: 'https://example.invalid/icons/openai.png',
      model_date: '2024-07-18',
    },
    owned_by: 'openai',
    created: 1721260800,
    object: 'model',
    model_type: 'chat',
  },
  {
    name: 'Anthropic: Claude 3 Haiku',
    id: 'anthropic/claude-3-haiku:beta',
    word_limit: 150000,
    pricing: { coins: 1, words: 100 },
    max_output: 4096,
    metadata: {
      editors_link: '',
      editors_choice_level: 1,
      pros: ['Fast'],
      cons: ['Older model'],
      applications: ['Social chat'],
      capabilities: ['Image input'],
      features: [],
      other: [],
      icon: 'https://example.invalid/icons/anthropic.png',
      model_date: '2024-03-13',
    },
    owned_by: 'anthropic',
    created: 1710000000,
    object: 'model',
    model_type: 'chat',
  },
  {
    name: 'Meta: Llama 4 Maverick',
    id: 'meta-llama/llama-4-maverick',
    word_limit: 750000,
    pricing: { coins: 0.2, words: 100 },
    max_output: 8192,
    metadata: {
      editors_link: '',
      editors_choice_level: -1,
      pros: ['Open weights', 'Long context'],
      cons: [],
      applications: ['Coding'],
      capabilities: ['Image input'],
      features: [],
      other: [],
      icon: 'https://example.invalid/icons/meta.png',
      model_date: '2025-04-05',
    },
    owned_by: 'meta-llama',
    created: 1743811200,
    object: 'model',
    model_type: 'chat',
  },
  {
    name: 'OpenAI: o4 mini',
    id: 'openai/o4-mini',
    word_limit: 150000,
    pricing: { coins: 4, words: 100 },
    max_output: 100000,
    metadata: {
      editors_link: '',
      editors_choice_level: 3,
      pros: ['Strong reasoning'],
      cons: ['Slower', 'Expensive'],
      applications: ['Maths', 'Coding'],
      capabilities: ['Image input', 'Reasoning'],
      features: ['Reasoning'],
      other: [],
      icon: 'https://example.invalid/icons/openai.png',
      model_date: '2025-04-16',
    },
    owned_by: 'openai',
    created: 1744761600,
    object: 'model',
    model_type: 'chat',
  },
  {
    name: 'OpenAI: DALL-E 3',
    id: 'openai/dall-e-3',
    pricing: {
      square: { coins: 90, size: '1024x1024' },
      landscape: { coins: 120, size: '1792x1024' },
      portrait: { coins: 120, size: '1024x1792' },
    },
    metadata: { capabilities: [], features: [], other: [] },
    owned_by: 'openai',
    created: 1698796800,
    object: 'model',
    model_type: 'image',
  },
];

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
  let counter = 0;

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

  // ---------------------------------------------------------------- validation

  function findModel(id, type = 'chat') {
    return models.find((m) => m.id === id && (m.model_type ?? 'chat') === type);
  }

  function validateCommon(body, allowed) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return bad('Body must be a JSON object');
    }
    for (const key of Object.keys(body)) {
      if (!allowed.includes(key)) {
        return bad(`Unsupported field: ${key}`);
      }
    }
    if (body.temperature !== undefined) {
      const t = body.temperature;
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 2) {
        return bad('temperature must be a number between 0 and 2');
      }
    }
    if (body.max_tokens !== undefined) {
      if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
        return bad('max_tokens must be a positive integer');
      }
    }
    if (
      body.replace_failed_models !== undefined &&
      typeof body.replace_failed_models !== 'boolean'
    ) {
      return bad('replace_failed_models must be a boolean');
    }
    return undefined;
  }

  /** Exactly one of `model` (string) / `smart_llm_selector` (string enum): v0 prompt and chat. */
  function validateSingleModel(body) {
    const hasModel = body.model !== undefined;
    const hasSelector = body.smart_llm_selector !== undefined;
    if (hasModel === hasSelector) {
      return bad('Exactly one of model or smart_llm_selector must be provided');
    }
    if (hasSelector) {
      if (
        typeof body.smart_llm_selector !== 'string' ||
        !PRICING_METHODS.includes(body.smart_llm_selector)
      ) {
        return bad(
          'smart_llm_selector must be one of the strings "quality", "balance" or "budget"',
        );
      }
      return undefined;
    }
    if (typeof body.model !== 'string' || body.model === '') {
      return bad('model must be a non-empty string');
    }
    if (!findModel(body.model)) {
      return notFound(body.model);
    }
    return undefined;
  }

  function validateChat(body) {
    const common = validateCommon(body, CHAT_FIELDS);
    if (common) {
      return common;
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return bad('messages must be a non-empty array');
    }
    for (let i = 0; i < body.messages.length; i++) {
      const problem = validateMessage(body.messages[i], i);
      if (problem) {
        return problem;
      }
    }
    return validateSingleModel(body);
  }

  function validateMessage(message, i) {
    const at = `messages[${i}]`;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      return bad(`${at} must be an object`);
    }
    for (const key of Object.keys(message)) {
      if (!MESSAGE_FIELDS.includes(key)) {
        // tool_calls, tool_call_id, name, function_call, refusal... must not reach Straico.
        return bad(`${at}: unsupported field ${key}`);
      }
    }
    if (!CHAT_ROLES.includes(message.role)) {
      return bad(
        `${at}: unsupported role ${JSON.stringify(message.role)} (expected system, user or assistant)`,
      );
    }
    const content = message.content;
    if (typeof content === 'string') {
      return undefined;
    }
    if (!Array.isArray(content) || content.length === 0) {
      return bad(`${at}.content must be a string or a non-empty array of content parts`);
    }
    for (let j = 0; j < content.length; j++) {
      const part = content[j];
      const partAt = `${at}.content[${j}]`;
      if (part === null || typeof part !== 'object') {
        return bad(`${partAt} must be an object`);
      }
      if (part.type === 'text') {
        if (typeof part.text !== 'string') {
          return bad(`${partAt}.text must be a string`);
        }
      } else if (part.type === 'image_url') {
        if (
          !part.image_url ||
          typeof part.image_url !== 'object' ||
          typeof part.image_url.url !== 'string'
        ) {
          return bad(`${partAt}.image_url.url must be a string`);
        }
      } else {
        return bad(`${partAt}: unsupported content part type ${JSON.stringify(part.type)}`);
      }
    }
    return undefined;
  }

  function validateMessageString(body) {
    if (typeof body.message !== 'string' || body.message.trim() === '') {
      return bad('message must be a non-empty string');
    }
    return undefined;
  }

  function validateV0Prompt(body) {
    return (
      validateCommon(body, V0_PROMPT_FIELDS) ??
      validateMessageString(body) ??
      validateSingleModel(body)
    );
  }

  function validateV1Prompt(body) {
    const common = validateCommon(body, V1_PROMPT_FIELDS) ?? validateMessageString(body);
    if (common) {
      return common;
    }
    for (const key of ['file_urls', 'images', 'youtube_urls']) {
      const value = body[key];
      if (value === undefined) {
        continue;
      }
      if (
        !Array.isArray(value) ||
        value.length > 4 ||
        value.some((v) => typeof v !== 'string' || v === '')
      ) {
        return bad(`${key} must be an array of at most 4 strings`);
      }
    }
    if (body.display_transcripts !== undefined && typeof body.display_transcripts !== 'boolean') {
      return bad('display_transcripts must be a boolean');
    }
    const hasModels = body.models !== undefined;
    const hasSelector = body.smart_llm_selector !== undefined;
    if (hasModels === hasSelector) {
      return bad('Exactly one of models or smart_llm_selector must be provided');
    }
    if (hasSelector) {
      const s = body.smart_llm_selector;
      if (s === null || typeof s !== 'object' || Array.isArray(s)) {
        return bad('smart_llm_selector must be an object {quantity, pricing_method}');
      }
      const extra = Object.keys(s).find((k) => k !== 'quantity' && k !== 'pricing_method');
      if (extra) {
        return bad(`smart_llm_selector: unsupported field ${extra}`);
      }
      if (!Number.isInteger(s.quantity) || s.quantity < 1 || s.quantity > 4) {
        return bad('smart_llm_selector.quantity must be an integer between 1 and 4');
      }
      if (!PRICING_METHODS.includes(s.pricing_method)) {
        return bad(
          'smart_llm_selector.pricing_method must be one of "quality", "balance" or "budget"',
        );
      }
      return undefined;
    }
    const list = body.models;
    if (!Array.isArray(list) || list.length < 1 || list.length > 4) {
      return bad('models must be an array of 1 to 4 model ids');
    }
    if (list.some((m) => typeof m !== 'string' || m === '')) {
      return bad('models must contain non-empty strings');
    }
    if (new Set(list).size !== list.length) {
      return bad('models must be unique');
    }
    const unknown = list.find((m) => !findModel(m));
    return unknown === undefined ? undefined : notFound(unknown);
  }

  // ---------------------------------------------------------------- answers

  /** Deterministic stand-in for Straico's selector: chat models ordered by price for the method. */
  function selectModels(method, quantity) {
    const chat = models
      .filter((m) => (m.model_type ?? 'chat') === 'chat')
      .sort((a, b) => coinsPer100(a) - coinsPer100(b) || a.id.localeCompare(b.id));
    let ordered;
    if (method === 'budget') {
      ordered = chat;
    } else if (method === 'quality') {
      ordered = [...chat].reverse();
    } else {
      const mid = Math.floor((chat.length - 1) / 2);
      ordered = [...chat.slice(mid), ...chat.slice(0, mid).reverse()];
    }
    return ordered.slice(0, Math.max(1, quantity)).map((m) => m.id);
  }

  function justificationFor(method, ids, scripted) {
    if (scripted.justification !== undefined) {
      return scripted.justification;
    }
    return (
      `The smart LLM selector picked ${ids.join(', ')} for the "${method}" pricing method.\n` +
      'It offers the best fit for this prompt at that price level.'
    );
  }

  /** Core completion for one model; `inputText` is what Straico bills as input words. */
  function oneCompletion(modelId, inputText, lastText, scripted, suffix = '') {
    const content =
      (scripted.content ?? answerFor(lastText)) + (scripted.content === undefined ? suffix : '');
    const reasoning = scripted.reasoning ?? null;
    const native =
      scripted.finishReason ?? (modelId.startsWith('anthropic/') ? 'end_turn' : 'stop');
    const outputText = [content, reasoning ?? ''].join(' ');
    const promptTokens = tokensOf(inputText);
    const completionTokens = tokensOf(content) + tokensOf(reasoning ?? '');
    const completion = {
      id: `gen-${++counter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: scripted.model ?? modelId,
      provider: 'OpenAI',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, reasoning },
          finish_reason: native,
          native_finish_reason: native,
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    };
    const words = wordsOf(inputText, outputText);
    return { completion, words, price: priceOf(findModel(modelId), words) };
  }

  function answerFor(lastText) {
    const text = (lastText ?? '').trimStart();
    return text.startsWith('echo:') ? text.slice('echo:'.length).trim() : answer;
  }

  function chatCompletion(body, scripted) {
    const modelId = body.model ?? selectModels(body.smart_llm_selector, 1)[0];
    const inputText = body.messages.map((m) => textOf(m.content)).join('\n');
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
    const { completion, price, words } = oneCompletion(
      modelId,
      inputText,
      textOf(lastUser?.content),
      scripted,
    );
    const reply = { ...completion, price, words };
    if (body.smart_llm_selector !== undefined) {
      reply.model_selector_justification = justificationFor(
        body.smart_llm_selector,
        [modelId],
        scripted,
      );
    }
    return reply;
  }

  function v0Prompt(body, scripted) {
    const modelId = body.model ?? selectModels(body.smart_llm_selector, 1)[0];
    const data = oneCompletion(modelId, body.message, body.message, scripted);
    if (body.smart_llm_selector !== undefined) {
      data.model_selector_justification = justificationFor(
        body.smart_llm_selector,
        [modelId],
        scripted,
      );
    }
    return { data, success: true };
  }

  function v1Prompt(body, scripted) {
    const selector = body.smart_llm_selector;
    const ids = body.models ?? selectModels(selector.pricing_method, selector.quantity);
    const files = body.file_urls ?? [];
    const videos = body.youtube_urls ?? [];
    const images = body.images ?? [];
    // Attached files/videos count as input words (their "transcripts").
    const transcripts = [...files, ...videos].map((url) => ({
      name: url,
      text: `Transcript of ${url}`,
    }));
    const inputText = [body.message, ...transcripts.map((t) => t.text)].join('\n');
    let suffix = '';
    if (files.length > 0 || videos.length > 0) {
      suffix += ` [files: ${files.length}, videos: ${videos.length}]`;
    }
    if (images.length > 0) {
      suffix += ` [images: ${images.length}]`;
    }
    const completions = {};
    const zero = () => ({ input: 0, output: 0, total: 0 });
    const overall_price = zero();
    const overall_words = zero();
    for (const id of ids) {
      const error = scripted.modelErrors?.[id];
      const entry = error
        ? { completion: { error }, price: zero(), words: zero() }
        : oneCompletion(id, inputText, body.message, scripted, suffix);
      completions[id] = entry;
      for (const k of ['input', 'output', 'total']) {
        overall_price[k] = round2(overall_price[k] + entry.price[k]);
        overall_words[k] += entry.words[k];
      }
    }
    const data = { overall_price, overall_words, completions };
    if (body.display_transcripts === true) {
      data.transcripts = transcripts;
    }
    if (selector !== undefined) {
      data.model_selector_justification = justificationFor(selector.pricing_method, ids, scripted);
    }
    return { data, success: true };
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

/**
 * `GET /v2/models/<id>` answers a different shape than the list entry (reference §6.4, CONFLICT):
 * no `word_limit`, `metadata: {}`, snake_case `model_*` arrays.
 */
function modelDetail(model) {
  const meta = model.metadata ?? {};
  const snake = (list) =>
    (list ?? []).map((s) =>
      String(s)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_'),
    );
  const detail = {
    id: model.id,
    name: model.name,
    object: 'model',
    model_type: model.model_type ?? 'chat',
    created: model.created,
    owned_by: model.owned_by,
    pricing: model.pricing,
    api_model: model.id,
    model_pros: meta.pros ?? [],
    model_cons: meta.cons ?? [],
    model_applications: meta.applications ?? [],
    model_capabilities: snake(meta.capabilities),
    model_features: snake(meta.features),
    model_other: meta.other ?? [],
    editors_choice_level: meta.editors_choice_level ?? -1,
    model_icon: meta.icon ?? null,
    model_date: meta.model_date ?? null,
    metadata: {},
  };
  if (model.word_limit !== undefined) {
    detail.words_text = `${model.word_limit.toLocaleString('en-US')} words`;
  }
  if (model.max_output !== undefined) {
    detail.max_output = model.max_output;
  }
  return detail;
}

/** Text of a message content: the string, or its text parts joined with newlines. */
function textOf(content) {
  if (typeof content === 'string') {
    return content;
  }
  if (Array.isArray(content)) {
    return content
      .filter((p) => p && p.type === 'text')
      .map((p) => p.text)
      .join('\n');
  }
  return '';
}

function countWords(text) {
  return (text.match(/\S+/g) ?? []).length;
}

function wordsOf(inputText, outputText) {
  const input = countWords(inputText);
  const output = countWords(outputText);
  return { input, output, total: input + output };
}

function coinsPer100(model) {
  const p = model?.pricing;
  return typeof p?.coins === 'number' ? (p.coins * 100) / (p.words || 100) : 0;
}

/** Reference §7: price = round2(words × coins / 100 words), total = input + output. */
function priceOf(model, words) {
  const rate = coinsPer100(model) / 100;
  const input = round2(words.input * rate);
  const output = round2(words.output * rate);
  return { input, output, total: round2(input + output) };
}

function tokensOf(text) {
  return text ? Math.ceil(text.length / 4) : 0;
}

function round2(n) {
  return Math.round(n * 100) / 100;
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

function bad(error) {
  return { status: 400, error };
}

function notFound(id) {
  return { status: 422, error: `Model not found: ${id}` };
}

module.exports = { createFakeStraicoUpstream, DEFAULT_MODELS, DEFAULT_API_KEY, DEFAULT_ANSWER };

if (require.main === module) {
  const port = Number(process.env.PORT ?? 4020);
  createFakeStraicoUpstream({ port, record: false, apiKey: process.env.STRAICO_API_KEY })
    .listen()
    .then((fake) => console.log(`fake Straico upstream on ${fake.url}`));
}
