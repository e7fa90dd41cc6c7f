import { authHeaders, TEST_KEY, TestGateway } from './gateway';
import {
  INJECTED_PREFIX,
  MemoryBackend,
  postMemoryChat,
  startMemoryGateway,
  waitForMemories,
} from './memory';

/** The second key the memory suites' gateways accept, to show one key never sees another's. */
export const OTHER_KEY = 'sk-gateway-test-key-2';
/** What the fake OpenAI upstream answers unless told otherwise. */
export const ANSWER = 'Hello! How can I help you today?';
// One gateway per backend for a whole file.
export const BOOT_TIMEOUT_MS = 60000;
export const TEST_TIMEOUT_MS = 30000;

export type Message = { role: string; content: string };

export function ask(messages: Message[], extra: Record<string, unknown> = {}) {
  return { model: 'gpt-4o-mini', messages, ...extra };
}

/** What reached the upstream for the latest chat request. */
export function lastUpstreamMessages(gateway: TestGateway): Message[] {
  const requests = gateway.upstream.chatRequests();
  expect(requests.length).toBeGreaterThan(0);
  return requests[requests.length - 1].body.messages;
}

export function injectedMessages(messages: Message[]): Message[] {
  return messages.filter(
    (message) => message.role === 'system' && message.content.startsWith(INJECTED_PREFIX),
  );
}

/** The content the gateway streamed, from its SSE frames. */
export function streamedText(frames: string[]): string {
  return frames
    .filter((frame) => frame !== '[DONE]')
    .map((frame) => JSON.parse(frame).choices[0]?.delta?.content ?? '')
    .join('');
}

/** Tells the gateway `content` in `namespace` and waits until it is stored. */
export async function tell(
  gateway: TestGateway,
  namespace: string,
  content: string,
  key = TEST_KEY,
): Promise<void> {
  const response = await postMemoryChat(
    gateway,
    ask([{ role: 'user', content }]),
    { namespace },
    authHeaders(key),
  );
  expect(response.status).toBe(200);
  await response.text();
  await waitForMemories(gateway, namespace, (all) => all.some((m) => m.content === content), key);
}

/**
 * One memory gateway on `backend` (TEST_KEY and `otherKey`) for the enclosing describe: booted
 * before its tests, closed and its backend torn down after them, its upstream reset before each.
 */
export function bootMemoryGateway(
  backend: MemoryBackend,
  otherKey = OTHER_KEY,
  env: Record<string, string> = {},
): { readonly gateway: TestGateway } {
  const booted = {} as { gateway: TestGateway };
  beforeAll(async () => {
    booted.gateway = await startMemoryGateway(backend, otherKey, env);
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await booted.gateway?.close();
    await backend.teardown();
  });
  beforeEach(() => booted.gateway.upstream.reset());
  return booted;
}
