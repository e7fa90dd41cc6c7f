import { HttpException } from '@nestjs/common';

import { GatewayException } from '../errors/gateway.exception';
import { OpenAiErrorBody } from '../errors/openai-error';
import { SSE_DONE_FRAME, sseDataFrame, sseErrorFrame } from './sse';

/**
 * Chunks to SSE frames, ending with `[DONE]`. A failure after the first byte can no longer
 * change the status, so it becomes one final error event that OpenAI's SDKs raise as APIError.
 */
export async function* toSseFrames(chunks: AsyncIterable<unknown>): AsyncGenerator<string> {
  try {
    for await (const chunk of chunks) {
      yield sseDataFrame(chunk);
    }
  } catch (error) {
    yield sseErrorFrame(streamErrorBody(error));
    return;
  }
  yield SSE_DONE_FRAME;
}

/** What the client is told when a stream fails after its first byte. */
export function streamErrorBody(error: unknown): OpenAiErrorBody {
  if (error instanceof GatewayException) {
    return error.body;
  }
  return {
    message:
      error instanceof HttpException
        ? error.message
        : 'The stream was interrupted by a server error.',
    type: 'server_error',
    param: null,
    code: 'stream_interrupted',
  };
}
