import { ChatCompletion, ChatCompletionChunk } from '../chat.types';
import { v2ChatReply, v2SmartSelectorResponse } from '../straico/__fixtures__/straico-responses';
import { fromStraicoChatResponse } from '../straico/straico-response.mapper';
import { EmulationOptions } from '../straico/straico-stream';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pulls every chunk into `chunks` as it comes; `done` settles when the stream ends. */
export function consume(stream: AsyncIterable<ChatCompletionChunk>) {
  const chunks: ChatCompletionChunk[] = [];
  const done = (async () => {
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
  })();
  done.catch(() => undefined);
  return { chunks, done };
}

export const LONG_TEXT =
  'Recycling at home works best with three habits: rinse containers before binning them, ' +
  'keep a separate box for paper and cardboard, and check the local rules for plastics.';

export function options(overrides: Partial<EmulationOptions> = {}): EmulationOptions {
  return {
    id: 'chatcmpl-emulated-1',
    created: 1750000000,
    provisionalModel: 'auto',
    keepAliveMs: 20,
    includeUsage: false,
    signal: new AbortController().signal,
    ...overrides,
  };
}

export function textCompletion(): ChatCompletion {
  const body = v2SmartSelectorResponse();
  body.choices![0].message!.content = LONG_TEXT;
  return fromStraicoChatResponse(body, { tools: [], wantsJson: false, requestedModel: 'auto' })
    .completion;
}

export function toolCompletion(): ChatCompletion {
  const reply =
    '{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}},' +
    '{"name":"get_time","arguments":{"tz":"Europe/Paris"}}]}';
  return fromStraicoChatResponse(v2ChatReply(reply), {
    tools: [{ name: 'get_weather' }, { name: 'get_time' }],
    wantsJson: false,
    requestedModel: 'straico/meta-llama/llama-4-maverick',
  }).completion;
}

export const isKeepAlive = (chunk: ChatCompletionChunk) =>
  chunk.choices.length === 1 &&
  Object.keys(chunk.choices[0].delta).length === 0 &&
  chunk.choices[0].finish_reason === null;
