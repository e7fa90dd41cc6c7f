import { SSE_KEEPALIVE_FRAME } from '../common/http/sse';
import { streamErrorBody } from '../common/http/sse-frames';
import { ResponseObject, ResponseStreamEvent } from '../providers/responses.types';

/**
 * Not an event: a marker that the upstream is still working (Straico's emulated stream). It goes
 * out as an SSE comment, which every client skips, and takes no sequence number.
 */
export const KEEPALIVE: ResponseStreamEvent = Object.freeze({
  type: 'keepalive',
  sequence_number: -1,
});

/** One Responses event as SSE: `event:` equal to `type` (older openai-node reads the name). */
export function responseEventFrame(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Events to SSE frames. The stream ends with its terminal event, no `[DONE]` (as OpenAI's).
 * A failure after the first byte can no longer change the status: it becomes an `error` event
 * and a `response.failed` whose snapshot keeps the items streamed so far, then the end.
 */
export async function* toResponseSseFrames(
  events: AsyncIterable<ResponseStreamEvent>,
): AsyncGenerator<string> {
  let next = 0;
  let snapshot: ResponseObject | undefined;
  try {
    for await (const event of events) {
      if (event === KEEPALIVE) {
        yield SSE_KEEPALIVE_FRAME;
        continue;
      }
      next = Math.max(next, (event.sequence_number ?? next) + 1);
      if (event.response) {
        snapshot = event.response;
      }
      yield responseEventFrame(event);
    }
  } catch (error) {
    const body = streamErrorBody(error);
    yield responseEventFrame({
      type: 'error',
      sequence_number: next,
      code: body.code,
      message: body.message,
      param: body.param,
    });
    if (snapshot) {
      const failed: ResponseObject = {
        ...snapshot,
        status: 'failed',
        error: { code: body.code ?? 'server_error', message: body.message },
      };
      yield responseEventFrame({
        type: 'response.failed',
        sequence_number: next + 1,
        response: failed,
      });
    }
  }
}
