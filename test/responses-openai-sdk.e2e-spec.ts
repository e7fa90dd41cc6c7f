import OpenAI, { AuthenticationError, BadRequestError, NotFoundError } from 'openai';

import { startGateway, TEST_KEY, TestGateway } from './support/gateway';
import {
  collectEvents,
  deltaText,
  expectWellFormed,
  PERSON_FORMAT,
  WEATHER_TOOL,
  within,
} from './support/responses';

const ANSWER = 'Hello! How can I help you today?';
const OTHER_KEY = 'sk-gateway-test-key-2';

function sdk(gateway: TestGateway, apiKey = TEST_KEY): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
}

/** A chat completion that calls get_weather, for an upstream that only speaks Chat. */
function chatToolCall(callId: string) {
  return {
    id: 'chatcmpl-tool',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: callId,
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
  };
}

describe.each([
  { kind: 'native', servesResponses: true },
  { kind: 'translated (Chat-only upstream, detected)', servesResponses: false },
])('the openai SDK on /v1/responses, $kind', ({ servesResponses }) => {
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway(
      { GATEWAY_API_KEYS: `${TEST_KEY},${OTHER_KEY}` },
      { responses: servesResponses },
    );
    client = sdk(gateway);
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  /** What the upstream was asked last: the Responses body, or the Chat body it was translated to. */
  const lastUpstreamBody = () => {
    const requests = servesResponses
      ? gateway.upstream.responsesRequests()
      : gateway.upstream.chatRequests();
    // Whatever the gateway sent, checked by the assertions that follow (as readJson's bodies).
    return requests[requests.length - 1].body;
  };

  it('should create a response with output_text and Responses usage', async () => {
    const response = await client.responses.create({
      model: 'gpt-4o-mini',
      instructions: 'Be brief.',
      input: 'Hello!',
      max_output_tokens: 64,
      temperature: 0.5,
      metadata: { purpose: 'test' },
    });
    expect(response.object).toBe('response');
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(ANSWER);
    expect(response.output[0]).toMatchObject({ type: 'message', role: 'assistant' });
    expect(response.usage!.input_tokens).toBeGreaterThan(0);
    expect(response.usage!.output_tokens).toBeGreaterThan(0);
    expect(response.usage!.total_tokens).toBe(
      response.usage!.input_tokens + response.usage!.output_tokens,
    );
    const sent = lastUpstreamBody();
    if (servesResponses) {
      expect(sent).toMatchObject({
        instructions: 'Be brief.',
        input: 'Hello!',
        max_output_tokens: 64,
      });
    } else {
      expect(sent.messages).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello!' },
      ]);
      expect(sent).toMatchObject({ max_completion_tokens: 64, temperature: 0.5 });
      expect(sent.metadata).toBeUndefined();
      expect(response.metadata).toEqual({ purpose: 'test' });
    }
  });

  it('should stream the documented event sequence to a for-await loop', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hello!' }] }],
      stream: true,
    });
    const events = await within(collectEvents(stream), 5000, 'iterating the stream');
    expectWellFormed(events);
    expect(deltaText(events)).toBe(ANSWER);
    const last = events[events.length - 1];
    expect(last.type).toBe('response.completed');
    if (last.type === 'response.completed') {
      expect(last.response.output).toHaveLength(1);
      expect(last.response.usage!.output_tokens).toBeGreaterThan(0);
    }
  });

  it('should let responses.stream() assemble the final response', async () => {
    const runner = client.responses.stream({ model: 'gpt-4o-mini', input: 'Hello!' });
    const final = await within(runner.finalResponse(), 5000, 'the stream helper');
    expect(final.status).toBe('completed');
    expect(final.output_text).toBe(ANSWER);
  });

  it('should carry a function tool call and its output through previous_response_id', async () => {
    if (!servesResponses) {
      gateway.upstream.enqueue({ body: chatToolCall('call_weather1') });
    }
    const first = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'call:{"city":"Paris"}',
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'function', name: 'get_weather' },
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    if (call?.type !== 'function_call') {
      throw new Error('no function call');
    }
    const sentFirst = lastUpstreamBody();
    if (servesResponses) {
      expect(sentFirst.tool_choice).toEqual({ type: 'function', name: 'get_weather' });
    } else {
      expect(sentFirst.tools[0]).toEqual({
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather in a city',
          parameters: WEATHER_TOOL.parameters,
          strict: true,
        },
      });
      expect(sentFirst.tool_choice).toEqual({
        type: 'function',
        function: { name: 'get_weather' },
      });
    }
    const second = await client.responses.create({
      model: 'gpt-4o-mini',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: '18 C' }],
      tools: [WEATHER_TOOL],
    });
    expect(second.previous_response_id).toBe(first.id);
    const sent = lastUpstreamBody();
    if (servesResponses) {
      expect(second.output_text).toBe('The tool said: 18 C');
      expect(sent.previous_response_id).toBeUndefined();
      expect(sent.input.map((item: { type?: string }) => item.type ?? 'message')).toEqual([
        'message',
        'function_call',
        'function_call_output',
      ]);
    } else {
      expect(second.output_text).toBe(ANSWER);
      expect(sent.messages).toEqual([
        { role: 'user', content: 'call:{"city":"Paris"}' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_weather1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_weather1', content: '18 C' },
      ]);
    }
  });

  it('should parse a json_schema answer with responses.parse', async () => {
    const parsed = await client.responses.parse({
      model: 'gpt-4o-mini',
      input: 'echo:{"name":"Jane","age":54}',
      text: { format: PERSON_FORMAT },
    });
    expect(parsed.output_parsed).toEqual({ name: 'Jane', age: 54 });
    const sent = lastUpstreamBody();
    if (servesResponses) {
      expect(sent.text.format).toEqual(PERSON_FORMAT);
    } else {
      const { type, ...schema } = PERSON_FORMAT;
      expect(sent.response_format).toEqual({ type, json_schema: schema });
    }
  });

  it('should chain turns with previous_response_id, instructions not inherited', async () => {
    const first = await client.responses.create({
      model: 'gpt-4o-mini',
      instructions: 'Only for the first turn.',
      input: 'My name is Ann.',
    });
    const second = await client.responses.create({
      model: 'gpt-4o-mini',
      previous_response_id: first.id,
      input: 'What is my name?',
    });
    expect(second.output_text).toBe(ANSWER);
    const sent = lastUpstreamBody();
    const turns = servesResponses
      ? sent.input.map((item: { role: string; content: unknown }) => item.role)
      : sent.messages.map((message: { role: string }) => message.role);
    expect(turns).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(sent)).not.toContain('Only for the first turn.');
  });

  it('should return a stored response to its own key only, and keep nothing with store:false', async () => {
    const created = await client.responses.create({ model: 'gpt-4o-mini', input: 'Hello!' });
    const fetched = await client.responses.retrieve(created.id);
    expect(fetched).toMatchObject({ id: created.id, status: 'completed', output_text: ANSWER });
    await expect(sdk(gateway, OTHER_KEY).responses.retrieve(created.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      sdk(gateway, OTHER_KEY).responses.create({
        model: 'gpt-4o-mini',
        previous_response_id: created.id,
        input: 'Hi',
      }),
    ).rejects.toMatchObject({ status: 400, code: 'previous_response_not_found' });

    const unstored = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Hello!',
      store: false,
    });
    expect(unstored.output_text).toBe(ANSWER);
    await expect(client.responses.retrieve(unstored.id)).rejects.toBeInstanceOf(NotFoundError);
    const error = await client.responses
      .create({ model: 'gpt-4o-mini', previous_response_id: unstored.id, input: 'Hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    });
  });

  it('should answer bad requests with typed errors naming the parameter', async () => {
    const invalid = await client.responses
      .create({ model: 'gpt-4o-mini', input: 'Hi', temperature: 7 })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect(invalid).toMatchObject({ param: 'temperature', type: 'invalid_request_error' });

    const background = await client.responses
      .create({ model: 'gpt-4o-mini', input: 'Hi', background: true })
      .catch((e: unknown) => e);
    expect(background).toMatchObject({ status: 400, param: 'background' });

    await expect(
      sdk(gateway, 'sk-not-a-key').responses.create({ model: 'gpt-4o-mini', input: 'Hi' }),
    ).rejects.toBeInstanceOf(AuthenticationError);
    expect(gateway.upstream.requests).toHaveLength(0);
  });
});
