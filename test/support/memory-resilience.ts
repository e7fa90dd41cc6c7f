import { join } from 'node:path';

import { sleep } from './gateway';
import { GatewayUrl, memoryApi } from './memory';

export const FACT = 'My dog is called Rex.';
export const QUESTION = 'What is my dog called?';
export const MODELS_FILE = join(__dirname, '..', 'fixtures', 'catalog-without-fallbacks.yaml');
export const SLOW_TIMEOUT_MS = 90000;

export type Message = { role: string; content: string };

/** A gpt-4o-mini request with one user message. */
export function ask(content: string, extra: Record<string, unknown> = {}) {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra };
}

/** Polls until `check` passes (it throws or returns false until then). */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'never true';
  for (;;) {
    try {
      if (await check()) {
        return;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen within ${timeoutMs} ms (last: ${String(last)})`);
    }
    await sleep(200);
  }
}

/** The store answers again: the management API is back to 200. */
export function storeIsBack(gateway: GatewayUrl): Promise<void> {
  return eventually(
    'the memory store coming back',
    async () => (await memoryApi(gateway, 'GET', '/namespaces')).status === 200,
  );
}
