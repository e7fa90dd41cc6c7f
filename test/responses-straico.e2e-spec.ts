import { BadRequestError } from 'openai';

import { TEST_KEY } from './support/gateway';
import { StraicoGateway, startStraicoGateway, STRAICO_HAIKU } from './support/straico';
import {
  collectEvents,
  deltaText,
  expectWellFormed,
  PERSON_FORMAT,
  WEATHER_TOOL,
  within,
} from './support/responses';

const ANSWER = 'Hello from Straico!';
const TOOL_REPLY = 'echo:{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}';

describe('/v1/responses on Straico (translated), through the openai SDK', () => {
  let setup: StraicoGateway;

  beforeAll(async () => {
    setup = await startStraicoGateway({ env: { STRAICO_KEEPALIVE_MS: '100' } });
  });
  afterAll(() => setup.close());
  beforeEach(() => setup.straico.reset());

  const lastPrompt = () => {
    const requests = setup.straico.requests.filter((r) => r.method === 'POST');
    return JSON.stringify(requests[requests.length - 1].body);
  };

  it('should create a response with Responses usage', async () => {
    const response = await setup.client.responses.create({
      model: STRAICO_HAIKU,
      instructions: 'Be brief.',
      input: 'Hello!',
    });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(ANSWER);
    expect(response.usage!.input_tokens).toBeGreaterThan(0);
    expect(response.usage!.output_tokens).toBeGreaterThan(0);
    expect(lastPrompt()).toContain('Be brief.');
  });

  it('should pick a model with auto (Straico selector) and name it', async () => {
    const { data, response } = await setup.client.responses
      .create({ model: 'auto', input: 'Hello!' })
      .withResponse();
    expect(data.output_text).toBe(ANSWER);
    expect(response.headers.get('x-gateway-selected-model')).toBeTruthy();
  });

  it('should stream the event sequence, and finalResponse() agrees', async () => {
    const stream = await setup.client.responses.create({
      model: STRAICO_HAIKU,
      input: 'Hello!',
      stream: true,
    });
    const events = await within(collectEvents(stream), 10000, 'iterating the stream');
    expectWellFormed(events);
    expect(deltaText(events)).toBe(ANSWER);
    const final = await within(
      setup.client.responses.stream({ model: STRAICO_HAIKU, input: 'Hello!' }).finalResponse(),
      10000,
      'the stream helper',
    );
    expect(final.output_text).toBe(ANSWER);
    expect(final.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('should keep a slow answer alive with SSE comments that take no sequence number', async () => {
    setup.straico.enqueue({ delayMs: 500 });
    const response = await fetch(`${setup.gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: STRAICO_HAIKU, input: 'Hello!', stream: true }),
    });
    const frames = (await response.text()).split('\n\n').filter((frame) => frame !== '');
    expect(frames.filter((frame) => frame.startsWith(': keep-alive')).length).toBeGreaterThan(0);
    const numbers = frames
      .filter((frame) => frame.startsWith('event: '))
      .map(
        (frame) =>
          (JSON.parse(frame.split('data: ')[1]) as { sequence_number: number }).sequence_number,
      );
    expect(numbers).toEqual(numbers.map((_, index) => index));
    expect(frames[frames.length - 1]).toContain('event: response.completed');
  });

  it('should round-trip a function call, streamed, with previous_response_id', async () => {
    const stream = await setup.client.responses.create({
      model: STRAICO_HAIKU,
      input: TOOL_REPLY,
      tools: [WEATHER_TOOL],
      stream: true,
    });
    const events = await within(collectEvents(stream), 10000, 'the tool stream');
    expectWellFormed(events);
    const last = events[events.length - 1];
    if (last.type !== 'response.completed') {
      throw new Error(`ended with ${last.type}`);
    }
    const call = last.response.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    const second = await setup.client.responses.create({
      model: STRAICO_HAIKU,
      previous_response_id: last.response.id,
      input: [
        {
          type: 'function_call_output',
          call_id: (call as { call_id: string }).call_id,
          output: '18 C',
        },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(second.output_text).toBe(ANSWER);
    expect(lastPrompt()).toContain('18 C');
  });

  it('should ask for json_schema and parse the answer', async () => {
    const parsed = await setup.client.responses.parse({
      model: STRAICO_HAIKU,
      input: 'echo:{"name":"Jane","age":54}',
      text: { format: PERSON_FORMAT },
    });
    expect(parsed.output_parsed).toEqual({ name: 'Jane', age: 54 });
    expect(lastPrompt()).toContain('conforms to this JSON Schema');
  });

  it('should refuse input it cannot send to Straico, naming it', async () => {
    const error = await setup.client.responses
      .create({
        model: STRAICO_HAIKU,
        input: [
          { role: 'user', content: [{ type: 'input_image', file_id: 'file_1', detail: 'auto' }] },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ param: 'input[0].content[0]' });
    expect(setup.straico.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});
