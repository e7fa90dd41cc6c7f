import { HttpStatus } from '@nestjs/common';

import { GatewayException } from '../errors/gateway.exception';

/**
 * Relays the chunks until `cut` fires (the shutdown grace period is over), then fails the
 * stream, which toSseFrames turns into a final error event instead of a connection that just
 * stops. Leaving the loop returns the source iterator, which aborts the upstream call.
 */
export async function* cutOnShutdown<T>(
  chunks: AsyncIterable<T>,
  cut: AbortSignal,
): AsyncGenerator<T> {
  const iterator = chunks[Symbol.asyncIterator]();
  let onCut = () => {};
  const cutting = new Promise<never>((_resolve, reject) => {
    onCut = () => reject(shuttingDownError());
  });
  // Handled here so that a cut nobody awaits is no unhandled rejection; the race still sees it.
  cutting.catch(() => undefined);
  cut.addEventListener('abort', onCut, { once: true });
  try {
    for (;;) {
      if (cut.aborted) {
        throw shuttingDownError();
      }
      const next = await Promise.race([iterator.next(), cutting]);
      if (next.done) {
        return;
      }
      yield next.value;
    }
  } finally {
    cut.removeEventListener('abort', onCut);
    void iterator.return?.()?.catch(() => undefined);
  }
}

/** What a request or stream still running when the grace period ends is answered with. */
export function shuttingDownError(): GatewayException {
  return new GatewayException(HttpStatus.SERVICE_UNAVAILABLE, {
    message: 'The gateway is shutting down and cut this stream short; retry the request.',
    type: 'server_error',
    param: null,
    code: 'server_shutting_down',
  });
}
