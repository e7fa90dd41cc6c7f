import type { Response } from 'express';

/**
 * A signal that fires when the client goes away before the answer is complete, or when
 * `cut` fires first (the gateway's shutdown grace period is over).
 */
export function abortOnClientClose(response: Response, cut?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  cut?.addEventListener('abort', abort, { once: true });
  response.once('close', () => {
    cut?.removeEventListener('abort', abort);
    if (!response.writableFinished) {
      controller.abort();
    }
  });
  return controller.signal;
}
