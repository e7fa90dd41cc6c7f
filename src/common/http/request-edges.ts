import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Refuses a body whose declared length is over the limit before a byte of it is read. The body
 * parser would answer 413 too, but only after reading the whole declared body off the socket
 * (`Content-Length: 100 GB` with one byte sent held a connection until the request timeout).
 * The connection is closed after the answer, since the unread body is still on it. The error
 * has body-parser's shape, so the one exception filter answers it like the parser's own.
 */
export function refuseDeclaredOversizeBodies(limitBytes: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const declared = request.headers['content-length'];
    if (declared !== undefined && Number(declared) > limitBytes) {
      response.setHeader('connection', 'close');
      next(Object.assign(new Error('request entity too large'), TOO_LARGE));
      return;
    }
    next();
  };
}

const TOO_LARGE = { status: 413, statusCode: 413, expose: true, type: 'entity.too.large' };

/**
 * Node answers 408 and closes the connection when a request's headers, or the whole request,
 * take longer than these; it checks every `connectionsCheckingInterval`, 30 s by default, which
 * would stretch a short timeout by up to that much. Set before `listen()`.
 */
export function applyRequestTimeouts(
  server: Server,
  headersTimeoutMs: number,
  bodyTimeoutMs: number,
): void {
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = headersTimeoutMs + bodyTimeoutMs;
  // A constructor option in Node's types, but read from the server when it starts listening.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.max(100, Math.min(1_000, Math.floor(Math.min(headersTimeoutMs, bodyTimeoutMs) / 4)));
}
