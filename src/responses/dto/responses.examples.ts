import type { ExamplesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Request examples in the shapes of OpenAI's API reference, so "Try it out" works as shipped. */
export const RESPONSE_EXAMPLES: ExamplesObject = {
  text: {
    summary: 'Text input',
    value: {
      model: 'gpt-4o-mini',
      input: 'Tell me a three sentence bedtime story about a unicorn.',
    },
  },
  streaming: {
    summary: 'Streaming (text/event-stream)',
    value: {
      model: 'gpt-4o-mini',
      instructions: 'You are a helpful assistant.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hello!' }] }],
      stream: true,
    },
  },
  functions: {
    summary: 'Function tools',
    value: {
      model: 'gpt-4o-mini',
      input: 'What is the weather like in Paris today?',
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Current weather in a city',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
          strict: true,
        },
      ],
      tool_choice: 'auto',
    },
  },
  jsonSchema: {
    summary: 'Structured output (json_schema)',
    value: {
      model: 'gpt-4o-mini',
      input: 'Jane, 54 years old',
      text: {
        format: {
          type: 'json_schema',
          name: 'person',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, age: { type: 'integer' } },
            required: ['name', 'age'],
            additionalProperties: false,
          },
        },
      },
    },
  },
  chained: {
    summary: 'Continue a stored response',
    value: {
      model: 'gpt-4o-mini',
      previous_response_id: 'resp_0123456789abcdef',
      input: 'And in one sentence?',
    },
  },
};
