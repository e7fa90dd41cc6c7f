import { HttpStatus } from '@nestjs/common';
import type { ExamplesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

import { ErrorExample } from '../../common/http/error-examples';
import { previousResponseNotFound, responseNotFound } from '../responses-request.rules';

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

/** A response as the gateway sends it (translated from Chat Completions here). */
export const RESPONSE_OBJECT_EXAMPLE = {
  id: 'resp_1a22e7df22400000002c4e1f0b6a9d8e7c5b3a2f1e0d9c8b',
  object: 'response',
  created_at: 1764540000,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  metadata: {},
  model: 'gpt-4o-mini-2024-07-18',
  output: [
    {
      type: 'message',
      id: 'msg_1a22e7df22300000001a9b8c7d6e5f4a3b2c1d0e9f8a7b6c',
      status: 'completed',
      role: 'assistant',
      content: [
        {
          type: 'output_text',
          text: 'Hello! How can I help you today?',
          annotations: [],
          logprobs: [],
        },
      ],
    },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  store: true,
  temperature: 1,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: 1,
  truncation: 'disabled',
  usage: {
    input_tokens: 13,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 9,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 22,
  },
  user: null,
};

export const RESPONSES_BAD_REQUEST: ErrorExample = {
  status: HttpStatus.BAD_REQUEST,
  description:
    'Invalid request, a `previous_response_id` this key has not stored, or a parameter this ' +
    'route cannot honour (`param` names it)',
  body: previousResponseNotFound('resp_0123456789abcdef').body,
};

export const RESPONSE_NOT_FOUND: ErrorExample = {
  status: HttpStatus.NOT_FOUND,
  description: 'No response with this id stored for this key',
  body: responseNotFound('resp_0123456789abcdef').body,
};
