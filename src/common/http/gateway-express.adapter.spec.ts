import express from 'express';
import type { Request, Response } from 'express';
import { request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { expressServer, GatewayExpressAdapter } from './gateway-express.adapter';

interface Answer {
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The answer of `method path` from a server, headers as sent (date aside). */
function ask(server: Server, method: string, path: string): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const headers = { ...response.headers };
        delete headers.date;
        resolve({ status: response.statusCode, headers, body });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('GatewayExpressAdapter', () => {
  const adapter = new GatewayExpressAdapter();
  const bodies: Record<string, unknown> = {
    small: { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0 }] },
    // Over 1,000 characters (express turns those into a Buffer first) and not ASCII.
    large: { text: 'é中😀'.repeat(500), list: [1, null, true] },
    withToJson: { toJSON: () => ({ shown: 1 }) },
    array: [1, 2, 3],
    error: Object.assign(new Error('kept out'), { status: 400 }),
  };
  let server: Server;

  beforeAll(async () => {
    const app = express();
    app.set('etag', false);
    app.all('/express/:name', (request: Request, response: Response) => {
      response.json(bodies[request.params.name as string]);
    });
    app.all('/adapter/:name', (request: Request, response: Response) => {
      adapter.reply(response, bodies[request.params.name as string], 200);
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("should answer a plain object to POST with the status, headers and bytes of express's res.json", async () => {
    for (const name of ['small', 'large', 'withToJson']) {
      const [ours, theirs] = await Promise.all([
        ask(server, 'POST', `/adapter/${name}`),
        ask(server, 'POST', `/express/${name}`),
      ]);
      expect(ours).toEqual(theirs);
      expect(ours.headers['content-type']).toBe('application/json; charset=utf-8');
    }
  });

  it("should leave arrays, errors and other methods to Nest's own reply", async () => {
    expect(await ask(server, 'POST', '/adapter/array')).toEqual(
      await ask(server, 'POST', '/express/array'),
    );
    const error = await ask(server, 'POST', '/adapter/error');
    // Nest's reply answers an Error with its status and a generic body, never its fields.
    expect(error.body).not.toContain('kept out');
    const head = await ask(server, 'HEAD', '/adapter/small');
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('expressServer', () => {
  it("should make requests and responses with the app's prototypes, which express then keeps", async () => {
    const app = express();
    app.set('etag', false);
    app.get('/hello/:name', (request: Request, response: Response) => {
      response.status(201).json({ hello: request.params.name, agent: request.get('x-test') });
    });
    const server = expressServer(app);
    const born: boolean[] = [];
    // Before express's own listener: the objects as Node made them.
    server.prependListener('request', (request, response) => {
      born.push(
        Object.getPrototypeOf(request) === app.request &&
          Object.getPrototypeOf(response) === app.response,
      );
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const answer = await ask(server, 'GET', '/hello/maya');
      expect(answer.status).toBe(201);
      expect(JSON.parse(answer.body)).toEqual({ hello: 'maya' });
      expect((await ask(server, 'GET', '/nowhere')).status).toBe(404);
      expect(born).toEqual([true, true]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
