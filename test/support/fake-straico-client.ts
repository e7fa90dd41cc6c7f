import { createFakeStraicoUpstream, FakeStraicoUpstream } from '../fakes/fake-straico-upstream';

/** The key the fake Straico suites authenticate with. */
export const KEY = 'straico-test-key';

/** Response bodies are loosely typed on purpose: the assertions check their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (response: Response): Promise<any> => response.json();

export interface FakeStraicoClient {
  /** The fake, listening from the enclosing describe's beforeAll on. */
  readonly fake: FakeStraicoUpstream;
  call: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    signal?: AbortSignal,
  ) => Promise<Response>;
  post: (path: string, body: unknown) => Promise<Response>;
  /** A v2 chat completion for one user message, with `extra` fields. */
  chat: (extra?: Record<string, unknown>) => Promise<Response>;
}

/**
 * One fake Straico upstream for the enclosing describe, reset before each test, and plain HTTP
 * calls to it with KEY.
 */
export function useFakeStraico(): FakeStraicoClient {
  let fake: FakeStraicoUpstream;
  const call: FakeStraicoClient['call'] = (
    method,
    path,
    body,
    headers = { authorization: `Bearer ${KEY}` },
    signal,
  ) =>
    fetch(`${fake.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  const post = (path: string, body: unknown) => call('POST', path, body);
  const chat = (extra: Record<string, unknown> = {}) =>
    post('/v2/chat/completions', {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      ...extra,
    });

  beforeAll(async () => {
    fake = await createFakeStraicoUpstream().listen();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  return {
    get fake() {
      return fake;
    },
    call,
    post,
    chat,
  };
}
