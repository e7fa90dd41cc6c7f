'use strict';
/**
 * The fake OpenAI upstream's chat answers: the chat.completion object, the SSE chunk sequence
 * for `stream: true` (with the usage chunk when `stream_options.include_usage` is set), and
 * scripted raw SSE bytes.
 */
const { sleep } = require('./fake-http');

function chatCompletion(id, body, content) {
  const usage = usageFor(body, content);
  return {
    id,
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

/** Streams `content` (or the scripted chunks) as chat.completion.chunk frames, then [DONE]. */
async function streamChatAnswer(res, body, scripted, id, content) {
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? 'gpt-4o-mini';
  const includeUsage = body.stream_options?.include_usage === true;
  const fragments = scripted.chunks ?? splitWords(content);
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

function usageFor(body, content) {
  const promptText = JSON.stringify(body?.messages ?? []);
  const prompt_tokens = Math.max(1, Math.ceil(promptText.length / 4));
  const completion_tokens = Math.max(1, Math.ceil(content.length / 4));
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function splitWords(text) {
  return text.match(/\S+\s*/g) ?? [text];
}

module.exports = { chatCompletion, streamChatAnswer, sendRawSse, usageFor };
