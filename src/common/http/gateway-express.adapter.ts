import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Response } from 'express';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

/** What express's `res.json` gives for an object: its content type, set once here. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Nest's express adapter, with an HTTP server whose requests are born express requests (see
 * expressServer), and a shorter path for the common answer: a plain object returned by a POST
 * handler (a chat completion, a response). express's `res.json` + `res.send` read three
 * app settings, set and then re-parse the content type to add its charset, test freshness and
 * copy bodies over 1,000 characters into a Buffer: ~2% of the gateway's CPU per request. This
 * writes the bytes `res.json` writes (the gateway turns ETags off, and sets no JSON replacer,
 * spaces or escaping); anything else (no body, streams, errors, a content type already set,
 * GET and HEAD with their freshness rules, statuses without a body) takes Nest's own path.
 */
export class GatewayExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions !== undefined || options.forceCloseConnections === true) {
      super.initHttpServer(options);
      return;
    }
    this.httpServer = expressServer(this.getInstance<Express>());
  }

  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (
      body === null ||
      typeof body !== 'object' ||
      // Plain objects only: not an Error, a Buffer, a StreamableFile or an array.
      Object.getPrototypeOf(body) !== Object.prototype ||
      response.req.method !== 'POST' ||
      response.getHeader('content-type') !== undefined
    ) {
      return super.reply(response, body, statusCode);
    }
    if (statusCode) {
      response.status(statusCode);
    }
    const status = response.statusCode;
    if (status === 204 || status === 205 || status === 304) {
      return super.reply(response, body, statusCode);
    }
    const text = JSON.stringify(body);
    response.setHeader('Content-Type', JSON_TYPE);
    response.setHeader('Content-Length', String(Buffer.byteLength(text)));
    response.end(text, 'utf8');
    return response;
  }
}

/**
 * An HTTP server for `app` whose requests and responses are made with the app's prototypes.
 * express gives each request and response its app's prototypes (Object.setPrototypeOf in
 * app.handle). On objects Node made with its own classes, V8 then keeps every request's objects
 * through the next young-generation collection: under load each scavenge copied 3 MB and took
 * 10-16 ms (0.2 ms without), every 20 memory searches or 200 health probes, and that pause
 * landed on whichever request was running. Made with these classes, the objects already have
 * the prototypes, and express's setPrototypeOf changes nothing.
 */
export function expressServer(app: Express): Server {
  class ExpressRequest extends IncomingMessage {}
  Object.setPrototypeOf(ExpressRequest.prototype, app.request);
  app.request = ExpressRequest.prototype as Express['request'];
  class ExpressResponse<Request extends IncomingMessage> extends ServerResponse<Request> {}
  Object.setPrototypeOf(ExpressResponse.prototype, app.response);
  app.response = ExpressResponse.prototype as unknown as Express['response'];
  return createServer({ IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse }, app);
}
