import type { Response } from 'express';

/** A signal that fires when the client goes away before the answer is complete. */
export function abortOnClientClose(response: Response): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) {
      controller.abort();
    }
  });
  return controller.signal;
}
