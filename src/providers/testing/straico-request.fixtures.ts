import { ChatCompletionRequest, ChatMessage } from '../chat.types';

/** What the Straico mapper specs target when they name a model. */
export const STRAICO_MODEL = { model: 'meta-llama/llama-4-maverick' } as const;

export function straicoRequest(
  messages: ChatMessage[],
  extra: Partial<ChatCompletionRequest> = {},
): ChatCompletionRequest {
  return { model: 'straico/meta-llama/llama-4-maverick', messages, ...extra };
}

export const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    },
  },
};

export function systemTexts(messages: Array<{ role: string; content: unknown }>): string[] {
  return messages.filter((m) => m.role === 'system').map((m) => m.content as string);
}
