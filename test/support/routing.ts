import { join } from 'node:path';

import type { ScriptedReply } from '../fakes/fake-openai-upstream';
import { TestGateway } from './gateway';
import { readJson } from './json';

/** tiny (small, 4k, alias fast, falls back to big), eye (vision), mid (tools), big (alias smart). */
export const RESILIENCE_CATALOG = join(__dirname, '..', 'fixtures', 'catalog-resilience.yaml');

/** Chat requests the fake upstream received for one upstream model id. */
export function upstreamCalls(gateway: TestGateway, upstreamModel: string): number {
  return gateway.upstream.chatRequests().filter((request) => request.model === upstreamModel)
    .length;
}

/** The upstream models of the chat requests received, in order. */
export function upstreamModels(gateway: TestGateway): (string | undefined)[] {
  return gateway.upstream.chatRequests().map((request) => request.model);
}

export function times(count: number, reply: ScriptedReply): ScriptedReply[] {
  return Array.from({ length: count }, () => ({ ...reply }));
}

export const UNAVAILABLE: ScriptedReply = {
  status: 503,
  body: { error: { message: 'The upstream is overloaded.', type: 'server_error', code: null } },
};

export interface Readiness {
  status: number;
  body: {
    status: string;
    details: { routes: { status: string; routes: number; circuits: Record<string, string> } };
  };
}

export async function readiness(gateway: TestGateway): Promise<Readiness> {
  const response = await fetch(`${gateway.url}/health/ready`);
  return { status: response.status, body: await readJson(response) };
}

/**
 * Plain prose of about `tokens` o200k tokens (each "The quick brown fox..." sentence is eleven), with no word the
 * complexity cues react to.
 */
export function prose(tokens: number): string {
  return 'The quick brown fox jumps over the lazy dog again. '.repeat(Math.ceil(tokens / 11));
}

/**
 * Polls `read` until `done` holds (the breakers probe on their own schedule), failing after
 * `timeoutMs`; returns the last value read.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
