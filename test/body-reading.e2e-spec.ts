import { connect } from 'node:net';

import { authHeaders, postChat, startGateway, TEST_KEY, TestGateway } from './support/gateway';
import { readJson } from './support/json';
import { chatHead } from './support/raw-http';

interface Exchange {
  status: number | undefined;
  text: string;
}

/**
 * Writes `head` and `body` on a fresh connection and never ends the request; resolves with what
 * the server wrote once it closes the connection. A server that closes while this client's bytes
 * are still unread resets the connection: what was answered before the reset still counts.
 */
function openEndedRequest(url: string, head: string, body: string | Buffer): Promise<Exchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(head);
      socket.write(body);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({
        status: status === undefined ? undefined : Number(status),
        text,
      });
    });
  });
}

function chunk(data: string): string {
  return `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;
}

function answerBody(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as unknown;
}

describe('reading bodies as they arrive', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    // Timeouts long enough that only this gateway's own checks answer within them.
    gateway = await startGateway({
      BODY_LIMIT: '1mb',
      HEADERS_TIMEOUT_MS: '20000',
      BODY_TIMEOUT_MS: '20000',
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.upstream.reset());

  it('should refuse a chunked upload with 413 as soon as it crosses BODY_LIMIT, and close', async () => {
    const head = chatHead(gateway.url, {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    // 1.2 MB sent of a body that never ends: only the bytes read so far can decide.
    const sent = chunk(`{"model":"gpt-4o-mini","messages":[],"x":"${'y'.repeat(1_200_000)}`);
    const exchange = await openEndedRequest(gateway.url, head, sent);
    expect(exchange.status).toBe(413);
    expect(exchange.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(answerBody(exchange.text)).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param: null,
        code: 'request_too_large',
      },
    });
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });

  it('should refuse a body over the bounds with the 400 naming the field, once it is read', async () => {
    const keys = Array.from({ length: 1001 }, (_, index) => `"k${index}":${index}`).join(',');
    const response = await postChat(
      gateway,
      `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"metadata":{${keys}}}`,
    );
    expect(response.status).toBe(400);
    expect((await readJson(response)).error).toMatchObject({
      param: 'metadata',
      code: 'invalid_value',
    });
  });

  it('should read a utf-8 body whose characters are split across packets', async () => {
    const content = 'é中😀'.repeat(20_000);
    const body = Buffer.from(
      JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
    );
    const head = chatHead(gateway.url, {
      authorization: `Bearer ${TEST_KEY}`,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.length),
      connection: 'close',
    });
    // Odd-sized packets, so that multi-byte characters are cut between them.
    const { hostname, port } = new URL(gateway.url);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(head);
        for (let at = 0; at < body.length; at += 4097) {
          socket.write(body.subarray(at, at + 4097));
        }
      });
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (data: string) => (received += data));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    const [forwarded] = gateway.upstream.chatRequests();
    expect((forwarded.body as { messages: Array<{ content: string }> }).messages[0].content).toBe(
      content,
    );
  });

  it('should answer 408 in the error envelope when a body takes longer than BODY_TIMEOUT_MS', async () => {
    const short = await startGateway({ HEADERS_TIMEOUT_MS: '5000', BODY_TIMEOUT_MS: '300' });
    try {
      const head = chatHead(short.url, {
        authorization: `Bearer ${TEST_KEY}`,
        'content-type': 'application/json',
        'content-length': '100',
      });
      const exchange = await openEndedRequest(short.url, head, '{"model":');
      expect(exchange.status).toBe(408);
      expect(exchange.text).toMatch(/\r\nconnection: close\r\n/i);
      expect(answerBody(exchange.text)).toEqual({
        error: {
          message: 'The request body did not arrive within 300 ms.',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    } finally {
      await short.close();
    }
  });
});

describe('the largest valid body (2,048 messages of 4 KB, 8 MB)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  it('should be forwarded whole and answered, while /health/live is answered too', async () => {
    const messages = Array.from({ length: 2048 }, (_, index) => ({
      role: index % 2 ? 'assistant' : 'user',
      content: `${index}:${'x'.repeat(4000)}`,
    }));
    messages[2047].content = 'echo: the last of 2,048';
    const body = { model: 'gpt-4o-mini', temperature: 0.5, messages };
    const pending = postChat(gateway, JSON.stringify(body), authHeaders());
    const health = await fetch(`${gateway.url}/health/live`);
    expect(health.status).toBe(200);
    const response = await pending;
    expect(response.status).toBe(200);
    const completion = (await readJson(response)) as unknown as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(completion.choices[0].message.content).toBe('the last of 2,048');
    const [forwarded] = gateway.upstream.chatRequests();
    expect(forwarded.body).toEqual(body);
    // Sent in parts with its length, not chunked: some OpenAI-compatible servers refuse chunked.
    expect(forwarded.headers).toMatchObject({
      'content-length': String(Buffer.byteLength(JSON.stringify(body))),
    });
    expect(forwarded.headers).not.toHaveProperty('transfer-encoding');
  });

  // Bodies with an array over 128 KB are parsed in slices: the answers must be JSON.parse's.
  const longMessages = (count: number) =>
    JSON.stringify(
      Array.from({ length: count }, (_, index) => ({
        role: index % 2 ? 'assistant' : 'user',
        content: `${index}:${'y'.repeat(3000)}`,
      })),
    );

  it('should read a large body whose key comes twice as JSON.parse does: the last one wins', async () => {
    gateway.upstream.reset();
    const text =
      `{"model":"gpt-4o-mini","messages":${longMessages(300)},` +
      `"messages":[{"role":"user","content":"echo: the second messages"}]}`;
    const response = await postChat(gateway, text, authHeaders());
    expect(response.status).toBe(200);
    const completion = (await readJson(response)) as unknown as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(completion.choices[0].message.content).toBe('the second messages');
    const [forwarded] = gateway.upstream.chatRequests();
    expect(forwarded.body).toEqual(JSON.parse(text));
  });

  it("should answer a fault deep in a large body's array with JSON.parse's own message", async () => {
    gateway.upstream.reset();
    const messages = longMessages(300);
    // A doubled comma between two elements near the end: a later slice fails, not the first.
    const at = messages.lastIndexOf('},{') + 1;
    const text = `{"model":"gpt-4o-mini","messages":${messages.slice(0, at)},${messages.slice(at)}}`;
    const expected = (() => {
      try {
        JSON.parse(text);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('the body was meant to be invalid');
    })();
    const response = await postChat(gateway, text, authHeaders());
    expect(response.status).toBe(400);
    expect((await readJson(response)).error).toEqual({
      message: `We could not parse the JSON body of your request: ${expected}`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_json',
    });
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });
});
