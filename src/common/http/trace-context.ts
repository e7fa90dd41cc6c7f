import type { IncomingMessage } from 'node:http';

// W3C Trace Context: version-traceid-parentid-flags; all-zero ids are invalid by the spec.
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;
const ZERO_TRACE = '0'.repeat(32);

/** The caller's W3C `traceparent` header when it is well-formed, to pass on upstream. */
export function traceparentOf(request: IncomingMessage): string | undefined {
  const header = request.headers.traceparent;
  const value = typeof header === 'string' ? header.trim() : '';
  const match = TRACEPARENT.exec(value);
  return match && match[1] !== ZERO_TRACE ? value : undefined;
}

/**
 * The trace id of a W3C `traceparent` header, so a log line can be found from the caller's
 * OpenTelemetry trace; undefined when the header is absent or malformed.
 */
export function traceIdOf(request: IncomingMessage): string | undefined {
  return traceparentOf(request)?.slice(3, 35);
}
