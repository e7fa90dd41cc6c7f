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
