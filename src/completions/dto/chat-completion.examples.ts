import type { ExamplesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Request examples from OpenAI's API reference, so "Try it out" works as shipped. */
export const CHAT_COMPLETION_EXAMPLES: ExamplesObject = {
  default: {
    summary: 'Non-streaming',
    value: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] },
  },
  withSystemMessage: {
    summary: 'With a system message',
    value: {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello!' },
      ],
    },
  },
  streaming: {
    summary: 'Streaming (text/event-stream)',
    value: {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello!' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    },
  },
};

/** A real non-streaming answer (optional fields the answer leaves out are left out here too). */
export const CHAT_COMPLETION_RESPONSE_EXAMPLE = {
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Hello! How can I help you today?',
        refusal: null,
      },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
};
