import axios, { AxiosError, AxiosInstance } from 'axios';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent } from 'undici';

import { createUndiciAdapter } from './undici-axios-adapter';

describe('createUndiciAdapter', () => {
  let server: Server;
  let agent: Agent;
  let client: AxiosInstance;
  let handler: (request: IncomingMessage, body: string, response: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (piece: Buffer) => (body += piece.toString()));
      request.on('end', () => handler(request, body, response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    agent = new Agent();
    const { port } = server.address() as AddressInfo;
    client = axios.create({
      baseURL: `http://127.0.0.1:${port}/v1`,
      adapter: createUndiciAdapter(agent),
      headers: { authorization: 'Bearer upstream' },
    });
  });
  afterAll(async () => {
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('should send method, path, headers and body, and parse a JSON answer', async () => {
    let seen: { method?: string; url?: string; auth?: string; body?: string } = {};
    handler = (request, body, response) => {
      seen = {
        method: request.method,
        url: request.url,
        auth: request.headers.authorization,
        body,
      };
      response.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      response.end('{"ok":true}');
    };
    const response = await client.post('/things?x=1', { hello: 'world' });
    expect(seen).toEqual({
      method: 'POST',
      url: '/v1/things?x=1',
      auth: 'Bearer upstream',
      body: '{"hello":"world"}',
    });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ ok: true });
    expect(response.headers['x-upstream']).toBe('yes');
  });

  it('should reject a status that validateStatus refuses, with the response attached', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"error":"busy"}');
    };
    const error = (await client.get('/x').catch((e: unknown) => e)) as AxiosError;
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.code).toBe(AxiosError.ERR_BAD_RESPONSE);
    expect(error.response?.status).toBe(503);
  });

  it('should hand back the body stream for responseType stream', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 1\n\n');
      setTimeout(() => response.end('data: 2\n\n'), 20);
    };
    const response = await client.get<Readable>('/stream', { responseType: 'stream' });
    let text = '';
    for await (const piece of response.data) {
      text += (piece as Buffer).toString();
    }
    expect(text).toBe('data: 1\n\ndata: 2\n\n');
  });

  it('should report a timeout as ETIMEDOUT', async () => {
    handler = () => undefined;
    const error = (await client
      .get('/slow', { timeout: 100 })
      .catch((e: unknown) => e)) as AxiosError;
    expect(error.code).toBe(AxiosError.ETIMEDOUT);
  });

  it('should report an abort as a cancellation', async () => {
    handler = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await client.get('/hang', { signal: controller.signal }).catch((e: unknown) => e);
    expect(axios.isCancel(error)).toBe(true);
  });

  it('should report a refused connection with its errno code', async () => {
    const refused = axios.create({
      baseURL: 'http://127.0.0.1:9',
      adapter: createUndiciAdapter(agent),
    });
    const error = (await refused.get('/x').catch((e: unknown) => e)) as AxiosError;
    expect(error.code).toBe('ECONNREFUSED');
  });
});
