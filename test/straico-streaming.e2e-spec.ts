import OpenAI, { APIError } from 'openai';

import { FakeStraicoUpstream } from './fakes/fake-straico-upstream';
import { sleep } from './support/gateway';
import {
  collectChunks,
  failure,
  HAIKU,
  rawChat,
  sseData,
  StraicoGateway,
  startStraicoGateway,
  STRAICO_HAIKU,
  within,
} from './support/straico';

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

const MESSAGES = [{ role: 'user' as const, content: 'Hello!' }];
const LONG_ANSWER =
  'Straico cannot stream, so the gateway waits for the whole answer and then sends it in ' +
  'several word-boundary pieces, followed by the finish chunk and the usage chunk.';
const WEATHER_TOOL: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const TOOL_REPLY = 'echo:{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}';

const isKeepAlive = (chunk: Chunk) =>
  chunk.choices.length === 1 &&
  Object.keys(chunk.choices[0].delta).length === 0 &&
  chunk.choices[0].finish_reason === null;

describe('Straico streams (emulated) through the gateway', () => {
  let setup: StraicoGateway;
  let straico: FakeStraicoUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    setup = await startStraicoGateway({
      env: { STRAICO_KEEPALIVE_MS: '100', STRAICO_RETRY_BASE_MS: '5' },
    });
    ({ straico, client } = setup);
  });
  afterAll(() => setup.close());
  beforeEach(() => straico.reset());

  it('should send role, keep-alives while Straico works, content, finish and usage', async () => {
    straico.enqueue({ delayMs: 700, content: LONG_ANSWER });
    const stream = await client.chat.completions.create({
      model: STRAICO_HAIKU,
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collectChunks(stream);

    // Straico got an ordinary (non-streaming) chat request.
    const sent = straico.chatRequests();
    expect(sent).toHaveLength(1);
    expect(sent[0].path).toBe('/v2/chat/completions');
    expect(sent[0].body).toEqual({ model: HAIKU, messages: MESSAGES });

    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    const firstContent = chunks.findIndex((chunk) => !!chunk.choices[0]?.delta.content);
    expect(firstContent).toBeGreaterThan(0);
    const keepAlives = chunks.slice(1, firstContent).filter(isKeepAlive);
    expect(keepAlives.length).toBeGreaterThanOrEqual(3);
    expect(keepAlives.length).toBe(firstContent - 1);

    const contentChunks = chunks.filter((chunk) => !!chunk.choices[0]?.delta.content);
    expect(contentChunks.length).toBeGreaterThan(1);
    expect(contentChunks.map((chunk) => chunk.choices[0].delta.content).join('')).toBe(LONG_ANSWER);
    expect(contentChunks.every((chunk) => chunk.model === HAIKU)).toBe(true);

    const finish = chunks[chunks.length - 2];
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    const usage = chunks[chunks.length - 1];
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({
      prompt_tokens: 2,
      completion_tokens: expect.any(Number),
      total_tokens: expect.any(Number),
    });
    expect((usage.usage as unknown as { straico: { coins: number } }).straico.coins).toBe(
      Number((0.01 + LONG_ANSWER.split(' ').length / 100).toFixed(2)),
    );
  });

  it('should leave the usage chunk out unless include_usage is asked for', async () => {
    const stream = await client.chat.completions.create({
      model: STRAICO_HAIKU,
      messages: MESSAGES,
      stream: true,
    });
    const chunks = await collectChunks(stream);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('stop');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(straico.chatRequests()).toHaveLength(1);
  });

  it('should let the stream() helper assemble the final completion', async () => {
    straico.enqueue({ delayMs: 250 });
    const runner = client.chat.completions.stream({ model: STRAICO_HAIKU, messages: MESSAGES });
    const completion = await within(runner.finalChatCompletion(), 10_000, 'the stream helper');
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0].message).toMatchObject({
      role: 'assistant',
      content: 'Hello from Straico!',
    });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(straico.chatRequests()).toHaveLength(1);
  });

  it('should send the selection reason and coins of an auto stream as HTTP trailers', async () => {
    straico.enqueue({ delayMs: 200 });
    const answer = await rawChat(setup.gateway, {
      model: 'auto:budget',
      messages: MESSAGES,
      stream: true,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/event-stream/);
    const frames = sseData(answer.body);
    expect(frames[frames.length - 1]).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame) as Chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'Hello from Straico!',
    );
    expect(chunks[chunks.length - 1].model).toBe('meta-llama/llama-4-maverick');

    const reason = answer.trailers['x-gateway-selection-reason'];
    expect(reason).toContain('picked meta-llama/llama-4-maverick for the "budget" pricing method');
    expect(reason).not.toMatch(/[\r\n]/);
    expect(reason!.length).toBeLessThanOrEqual(300);
    expect(answer.trailers['x-straico-coins']).toMatch(/^\d+(\.\d+)?$/);
    expect(answer.trailers['x-gateway-selected-model']).toBe('straico/meta-llama/llama-4-maverick');
    // Learnt only at the end, so not sent as headers.
    expect(answer.headers['x-gateway-selection-reason']).toBeUndefined();
    expect(straico.chatRequests()[0].body).toEqual({
      smart_llm_selector: 'budget',
      messages: MESSAGES,
    });
  });

  it('should stream emulated tool calls the stream() helper assembles', async () => {
    straico.enqueue({ delayMs: 150 });
    const runner = client.chat.completions.stream({
      model: STRAICO_HAIKU,
      messages: [{ role: 'user', content: TOOL_REPLY }],
      tools: [WEATHER_TOOL],
    });
    const completion = await within(runner.finalChatCompletion(), 10_000, 'the stream helper');

    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls![0];
    expect(call.id).toMatch(/^call_/);
    expect(call.type).toBe('function');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(choice.message.content ?? null).toBeNull();

    const [sent] = straico.chatRequests();
    expect(sent.body.tools).toBeUndefined();
    expect(sent.body.messages[0].role).toBe('system');
    expect(sent.body.messages[0].content).toContain('get_weather');
  });

  it('should stream two tool calls as deltas with their own index, id, type and name', async () => {
    const twoCalls =
      'echo:{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}},' +
      '{"name":"get_weather","arguments":{"city":"Rome"}}]}';
    const stream = await client.chat.completions.create({
      model: STRAICO_HAIKU,
      messages: [{ role: 'user', content: twoCalls }],
      tools: [WEATHER_TOOL],
      stream: true,
    });
    const chunks = await collectChunks(stream);
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    const byIndex = [0, 1].map((index) => deltas.filter((delta) => delta.index === index));
    expect(byIndex[0].length + byIndex[1].length).toBe(deltas.length);
    for (const [index, city] of ['Paris', 'Rome'].entries()) {
      expect(byIndex[index][0]).toMatchObject({
        index,
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather' },
      });
      const args = byIndex[index].map((delta) => delta.function?.arguments ?? '').join('');
      expect(JSON.parse(args)).toEqual({ city });
    }
    expect(byIndex[0][0].id).not.toBe(byIndex[1][0].id);
    expect(chunks.some((chunk) => chunk.choices[0]?.delta.content)).toBe(false);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('tool_calls');
    expect(straico.chatRequests()).toHaveLength(1);
  });

  it('should cancel the Straico call when the client aborts the stream', async () => {
    straico.enqueue({ delayMs: 3000 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: STRAICO_HAIKU, messages: MESSAGES, stream: true },
      { signal: controller.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    controller.abort();
    const deadline = Date.now() + 2000;
    while (!straico.chatRequests()[0]?.aborted && Date.now() < deadline) {
      await sleep(20);
    }
    expect(straico.chatRequests()).toHaveLength(1);
    expect(straico.chatRequests()[0].aborted).toBe(true);
  });

  it('should raise APIError while iterating when the Straico call fails', async () => {
    // Three failures: the first attempt and both retries.
    const failure500 = { status: 500, body: { error: 'Upstream exploded', success: false } };
    straico.enqueue(failure500, failure500, failure500);
    const stream = await client.chat.completions.create({
      model: STRAICO_HAIKU,
      messages: MESSAGES,
      stream: true,
    });
    const received: Chunk[] = [];
    const iterate = async () => {
      for await (const chunk of stream) {
        received.push(chunk);
      }
    };
    const error = await failure(within(iterate(), 10_000, 'iterating the failing stream'));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ type: 'server_error', code: 'upstream_error' });
    expect((error as APIError).message).toContain('Upstream exploded');
    // The role chunk was already sent; the error event followed it.
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received[0].choices[0].delta.role).toBe('assistant');
    expect(received.some((chunk) => chunk.choices[0]?.delta.content)).toBe(false);
    expect(straico.chatRequests()).toHaveLength(3);
  });

  it('should answer an unknown model with 404 before any stream starts', async () => {
    const error = await failure(
      client.chat.completions.create({
        model: 'straico/anthropic/claude-3.5-sonnet',
        messages: MESSAGES,
        stream: true,
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
    expect(straico.chatRequests()).toHaveLength(0);
  });
});
