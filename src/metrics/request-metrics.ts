import type { IncomingMessage } from 'node:http';

/** What the metrics middleware and the completions path share about one request. */
export interface RequestMetrics {
  /** `process.hrtime.bigint()` when the request reached the metrics middleware. */
  readonly startedNs: bigint;
  /** Time spent on upstreams (calls, retry waits, streams), subtracted to get the overhead. */
  upstreamNs: bigint;
  /** Labels of the route that served the request; `unknown` until one did. */
  provider: string;
  model: string;
}

declare module 'http' {
  interface IncomingMessage {
    gatewayMetrics?: RequestMetrics;
  }
}

export const UNKNOWN = 'unknown';
/** The model label of every id neither the catalog nor a provider's list knows. */
export const OTHER_MODEL = 'other';
/** nginx's code for a client that closed the connection before the answer was complete. */
export const CLIENT_CLOSED = '499';

/**
 * The route pattern Express matched (`/v1/memory/:id`), never the URL: raw paths would give
 * every memory id its own series. Requests no route took (404, body parser errors) share one.
 */
export function routeLabel(request: IncomingMessage & { route?: { path?: unknown } }): string {
  const path = request.route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}

/**
 * Label values that come from outside (model names, key ids) are capped: the first `max`
 * distinct values are kept, the rest are reported as `other`, so no client can grow the
 * number of series without bound.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  of(value: string | undefined): string {
    if (value === undefined || value === '') {
      return UNKNOWN;
    }
    if (this.seen.has(value)) {
      return value;
    }
    if (this.seen.size >= this.max) {
      return 'other';
    }
    this.seen.add(value);
    return value;
  }
}
