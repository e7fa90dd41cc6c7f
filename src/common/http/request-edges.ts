import type { Server } from 'node:http';

/**
 * Node answers 408 and closes the connection when a request's headers take longer than
 * HEADERS_TIMEOUT_MS, or the whole request (from its first byte to its body's last) longer than
 * HEADERS_TIMEOUT_MS + BODY_TIMEOUT_MS; a JSON body is also bounded to BODY_TIMEOUT_MS from its
 * own first byte by the body reader (json-body-reader.ts). Node checks every
 * `connectionsCheckingInterval`, 30 s by default, which would stretch a short timeout by up to
 * that much. Set before `listen()`.
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
