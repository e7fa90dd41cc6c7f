import { OpenAiErrorBody } from '../errors/openai-error';

export const SSE_DONE_FRAME = 'data: [DONE]\n\n';

export function sseDataFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function sseErrorFrame(error: OpenAiErrorBody): string {
  return sseDataFrame({ error });
}

/** SSE comment lines are ignored by every client, which makes them safe keep-alives. */
export const SSE_KEEPALIVE_FRAME = ': keep-alive\n\n';
