'use strict';
/**
 * The fake OpenAI upstream's `POST /v1/responses` (see shared/reference/openai-responses-api.md):
 * a response object, or with `stream: true` the documented event sequence with sequence_number.
 * It keeps no state, so a `previous_response_id` it receives is answered as OpenAI answers an
 * unknown one (the gateway is meant to send the whole conversation instead).
 *
 * The answer: a user text `call:<json>` with tools given calls the first tool with <json> as
 * arguments; after a `function_call_output` it answers `The tool said: <output>`; `echo:<text>`
 * answers <text>; anything else gets the fake's default answer.
 */
const { sendJson, sleep } = require('./fake-http');

let counter = 0;
const hex = () => `${Date.now().toString(16)}${(++counter).toString(16).padStart(8, '0')}`;

function lastItem(input) {
  if (typeof input === 'string') {
    return { type: 'message', role: 'user', content: input };
  }
  return Array.isArray(input) ? input[input.length - 1] : undefined;
}

function textOf(content) {
  if (typeof content === 'string') return content;
  return (Array.isArray(content) ? content : []).map((part) => part.text ?? '').join('');
}

/** The output items the fake answers a request with. */
function outputFor(body, answer) {
  const last = lastItem(body.input);
  if (last?.type === 'function_call_output') {
    return [message(`The tool said: ${textOf(last.output)}`)];
  }
  const text = last && (last.type ?? 'message') === 'message' ? textOf(last.content) : '';
  const tool = Array.isArray(body.tools) ? body.tools[0] : undefined;
  if (tool && text.startsWith('call:')) {
    return [
      {
        type: 'function_call',
        id: `fc_${hex()}`,
        call_id: `call_${hex()}`,
        name: tool.name,
        arguments: text.slice('call:'.length).trim(),
        status: 'completed',
      },
    ];
  }
  return [message(text.startsWith('echo:') ? text.slice('echo:'.length).trim() : answer)];
}

function message(text) {
  return {
    type: 'message',
    id: `msg_${hex()}`,
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
  };
}

function responseObject(body, status, output, usage) {
  return {
    id: `resp_${hex()}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    model: body.model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage,
    user: body.user ?? null,
  };
}

function usageFor(body, output) {
  const input_tokens = Math.max(1, Math.ceil(JSON.stringify(body.input ?? '').length / 4));
  const output_tokens = Math.max(1, Math.ceil(JSON.stringify(output).length / 16));
  return {
    input_tokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input_tokens + output_tokens,
  };
}

/** Answers one `/v1/responses` request; `scripted` has the chat route's fields (status, drop…). */
async function handleResponses(res, body, scripted, answer) {
  if (body?.previous_response_id) {
    return sendJson(res, 400, {
      error: {
        message: `Previous response with id '${body.previous_response_id}' not found.`,
        type: 'invalid_request_error',
        param: 'previous_response_id',
        code: 'previous_response_not_found',
      },
    });
  }
  const output = scripted.chunks ? [message(scripted.chunks.join(''))] : outputFor(body ?? {}, answer);
  const usage = usageFor(body ?? {}, output);
  if (body?.stream !== true) {
    return sendJson(res, 200, responseObject(body, 'completed', output, usage), scripted.headers);
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', ...scripted.headers });
  let sequence = 0;
  const send = (type, fields) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`);
  const started = responseObject(body, 'in_progress', [], null);
  send('response.created', { response: started });
  send('response.in_progress', { response: started });
  for (const [output_index, item] of output.entries()) {
    if (item.type === 'message') {
      const text = item.content[0].text;
      send('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
      const at = { item_id: item.id, output_index, content_index: 0 };
      send('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
      const words = scripted.chunks ?? text.match(/\S+\s*/g) ?? [text];
      for (const [index, delta] of words.entries()) {
        if (scripted.chunkDelayMs) await sleep(scripted.chunkDelayMs);
        if (res.destroyed) return;
        send('response.output_text.delta', { ...at, delta, logprobs: [] });
        if (index === 0 && scripted.drop === 'after-first-chunk') {
          await sleep(100);
          res.socket?.destroy();
          return;
        }
      }
      send('response.output_text.done', { ...at, text, logprobs: [] });
      send('response.content_part.done', { ...at, part: item.content[0] });
    } else {
      send('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } });
      const at = { item_id: item.id, output_index };
      send('response.function_call_arguments.delta', { ...at, delta: item.arguments });
      send('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.arguments });
    }
    send('response.output_item.done', { output_index, item });
  }
  send('response.completed', { response: { ...started, status: 'completed', output, usage } });
  res.end();
}

module.exports = { handleResponses };
