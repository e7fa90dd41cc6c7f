import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';

import { startGateway, TEST_KEY, TestGateway } from './support/gateway';
import { startStraicoGateway, STRAICO_HAIKU, StraicoGateway } from './support/straico';
import { within } from './support/responses';

const OPENAI_ANSWER = 'Hello! How can I help you today?';
const STRAICO_ANSWER = 'Hello from Straico!';

function provider(url: string) {
  // The default provider: `openai(model)` speaks the Responses API.
  return createOpenAI({ baseURL: `${url}/v1`, apiKey: TEST_KEY });
}

const weather = tool({
  description: 'Current weather in a city',
  inputSchema: jsonSchema<{ city: string }>({
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  }),
  execute: ({ city }) => Promise.resolve(`18 C in ${city}`),
});

describe.each([
  { kind: 'native', servesResponses: true },
  { kind: 'translated (Chat-only upstream)', servesResponses: false },
])('the Vercel AI SDK default provider, $kind', ({ servesResponses }) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({}, { responses: servesResponses });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should generateText with usage and the finish reason', async () => {
    const result = await generateText({
      model: provider(gateway.url)('gpt-4o-mini'),
      system: 'Be brief.',
      prompt: 'Hello!',
    });
    expect(result.text).toBe(OPENAI_ANSWER);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.response.id).toMatch(/^resp_/);
  });

  it('should streamText to the end', async () => {
    const result = streamText({ model: provider(gateway.url)('gpt-4o-mini'), prompt: 'Hello!' });
    const read = async () => {
      let text = '';
      for await (const delta of result.textStream) {
        text += delta;
      }
      return text;
    };
    expect(await within(read(), 5000, 'the text stream')).toBe(OPENAI_ANSWER);
    expect(await result.finishReason).toBe('stop');
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });

  it('should run a tool call and answer with its result in the second step', async () => {
    if (!servesResponses) {
      gateway.upstream.enqueue({
        body: {
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
                    id: 'call_v1',
                    type: 'function',
                    function: { name: 'weather', arguments: '{"city":"Paris"}' },
                  },
                ],
              },
              finish_reason: 'tool_calls',
            },
          ],
          usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
        },
      });
    }
    const result = await generateText({
      model: provider(gateway.url)('gpt-4o-mini'),
      prompt: 'call:{"city":"Paris"}',
      tools: { weather },
      stopWhen: stepCountIs(2),
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0].toolCalls[0]).toMatchObject({
      toolName: 'weather',
      input: { city: 'Paris' },
    });
    expect(result.steps[0].toolResults[0]).toMatchObject({ output: '18 C in Paris' });
    // Step 2 sends step 1 back (stored items may come as item_reference, Vercel's default with
    // store on): whatever the form, the upstream sees the whole conversation.
    if (servesResponses) {
      expect(result.text).toBe('The tool said: 18 C in Paris');
      const sent = gateway.upstream.responsesRequests()[1].body as {
        input: Array<{ type?: string }>;
      };
      expect(sent.input.map((item) => item.type ?? 'message')).toEqual([
        'message',
        'function_call',
        'function_call_output',
      ]);
    } else {
      expect(result.text).toBe(OPENAI_ANSWER);
      const sent = gateway.upstream.chatRequests()[1].body as { messages: Array<{ role: string }> };
      expect(sent.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    }
  });
});

describe('the Vercel AI SDK default provider on Straico (translated)', () => {
  let started: StraicoGateway;

  beforeAll(async () => {
    started = await startStraicoGateway();
  });
  afterAll(() => started.close());

  it('should generateText and streamText', async () => {
    const model = provider(started.gateway.url)(STRAICO_HAIKU);
    const generated = await generateText({ model, prompt: 'Hello!' });
    expect(generated.text).toBe(STRAICO_ANSWER);
    expect(generated.finishReason).toBe('stop');
    const streamed = streamText({ model, prompt: 'Hello!' });
    expect(await within(Promise.resolve(streamed.text), 5000, 'the stream')).toBe(STRAICO_ANSWER);
  });

  it('should run a tool call through Straico', async () => {
    const result = await generateText({
      model: provider(started.gateway.url)(STRAICO_HAIKU),
      prompt: 'echo:{"tool_calls":[{"name":"weather","arguments":{"city":"Paris"}}]}',
      tools: { weather },
      stopWhen: stepCountIs(2),
    });
    expect(result.steps[0].toolCalls[0]).toMatchObject({
      toolName: 'weather',
      input: { city: 'Paris' },
    });
    expect(result.steps[0].toolResults[0]).toMatchObject({ output: '18 C in Paris' });
    expect(result.steps).toHaveLength(2);
  });
});
