import { request as httpRequest } from 'node:http';

import {
  authHeaders,
  chatBody,
  postChat,
  readSse,
  startGateway,
  TEST_KEY,
  TestGateway,
} from './support/gateway';
import { readJson } from './support/json';
import { chatHead, stalledRequest } from './support/raw-http';

describe('request edges: early 413 and timeouts', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    // The timeouts are short so that the tests see them; Node enforces them, not a timer here.
    gateway = await startGateway({
      BODY_LIMIT: '1mb',
      HEADERS_TIMEOUT_MS: '400',
      BODY_TIMEOUT_MS: '400',
    });
  });
  afterAll(() => gateway.close());

  it('should refuse a declared body over BODY_LIMIT with 413 before reading it', async () => {
    // One byte of 100 GB is sent: the answer can only come from the declared length.
    const head = chatHead(gateway.url, {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json',
      'content-length': '107374182400',
    });
    const exchange = await stalledRequest(gateway.url, head, '{');
    expect(exchange.status).toBe(413);
    expect(exchange.text).toMatch(/\r\nconnection: close\r\n/i);
    const body = JSON.parse(exchange.text.slice(exchange.text.indexOf('\r\n\r\n') + 4)) as unknown;
    expect(body).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param: null,
        code: 'request_too_large',
      },
    });
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });

  it('should answer 408 and close when the body stalls', async () => {
    const head = chatHead(gateway.url, {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json',
      'content-length': '100',
    });
    const exchange = await stalledRequest(gateway.url, head, '{"model":');
    expect(exchange.status).toBe(408);
  });

  it('should answer 408 and close when the headers stall', async () => {
    const exchange = await stalledRequest(
      gateway.url,
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n`,
    );
    expect(exchange.status).toBe(408);
  });

  it('should not cut off a request that arrives in time', async () => {
    const response = await postChat(gateway, chatBody());
    expect(response.status).toBe(200);
  });

  it('should not cut off an answer that outlasts both timeouts: they bound the request only', async () => {
    // Five chunks 300 ms apart: the stream lasts longer than headers and body timeouts together.
    gateway.upstream.enqueue({ chunks: ['a', 'b', 'c', 'd', 'e'], chunkDelayMs: 300 });
    const response = await postChat(gateway, chatBody({ stream: true }));
    expect(response.status).toBe(200);
    const events = await readSse(response);
    expect(events[events.length - 1]).toBe('[DONE]');
    expect(events.join('')).toContain('"content":"e"');
  });
});

interface Answer {
  status: number;
  body: { error?: { code: string | null } };
}

/** node:http sends an array header as separate lines, as a client repeating it does. */
function postWithHeaders(
  gateway: TestGateway,
  headers: Record<string, string | string[]>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${gateway.url}/v1/chat/completions`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, body: JSON.parse(text) as Answer['body'] }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(chatBody()));
  });
}

describe('auth headers', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it.each<[string, Record<string, string | string[]>]>([
    [
      'an empty bearer next to a valid x-api-key',
      { authorization: 'Bearer ', 'x-api-key': TEST_KEY },
    ],
    [
      'a wrong bearer next to a valid x-api-key',
      { authorization: 'Bearer sk-nope', 'x-api-key': TEST_KEY },
    ],
    [
      'a valid bearer next to a wrong x-api-key',
      { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': 'sk-nope' },
    ],
    [
      'a valid bearer next to an empty x-api-key',
      { authorization: `Bearer ${TEST_KEY}`, 'x-api-key': '' },
    ],
    [
      'a non-bearer Authorization next to a valid x-api-key',
      { authorization: 'Basic eDp5', 'x-api-key': TEST_KEY },
    ],
    ['the same x-api-key twice', { 'x-api-key': [TEST_KEY, TEST_KEY] }],
  ])('should authenticate %s', async (_, headers) => {
    const answer = await postWithHeaders(gateway, headers);
    expect(answer.status).toBe(200);
  });

  it.each<[string, Record<string, string | string[]>]>([
    ['two different x-api-keys', { 'x-api-key': [TEST_KEY, 'sk-nope'] }],
    ['a wrong key in both headers', { authorization: 'Bearer sk-nope', 'x-api-key': 'sk-nope-2' }],
    ['an empty bearer alone', { authorization: 'Bearer ' }],
  ])('should refuse %s with 401', async (_, headers) => {
    const answer = await postWithHeaders(gateway, headers);
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('invalid_api_key');
  });

  it('should say that max_tokens must be an integer when it is a string', async () => {
    const response = await postChat(gateway, chatBody({ max_tokens: '10' }), authHeaders());
    expect(response.status).toBe(400);
    const { error } = await readJson(response);
    expect(error.param).toBe('max_tokens');
    expect(error.message).toMatch(/max_tokens must be an integer/);
  });
});
