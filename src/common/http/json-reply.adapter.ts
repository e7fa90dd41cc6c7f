import { ExpressAdapter } from '@nestjs/platform-express';
import type { Response } from 'express';

/** What express's `res.json` gives for an object: its content type, set once here. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Nest's express adapter, with a shorter path for the common answer: a plain object returned by
 * a POST handler (a chat completion, a response). express's `res.json` + `res.send` read three
 * app settings, set and then re-parse the content type to add its charset, test freshness and
 * copy bodies over 1,000 characters into a Buffer: ~2% of the gateway's CPU per request. This
 * writes the bytes `res.json` writes (the gateway turns ETags off, and sets no JSON replacer,
 * spaces or escaping); anything else (no body, streams, errors, a content type already set,
 * GET and HEAD with their freshness rules, statuses without a body) takes Nest's own path.
 */
export class JsonReplyExpressAdapter extends ExpressAdapter {
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
