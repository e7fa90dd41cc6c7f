import type { Response } from 'express';

import { safeHeaderValue } from '../common/http/header-values';
import { ServedRoute } from '../routing/served-route';

/** The response headers that tell a client how its request was served. */
const SELECTED_MODEL = 'x-gateway-selected-model';
const SELECTION_REASON = 'x-gateway-selection-reason';
const FALLBACKS = 'x-gateway-fallbacks';
const STRAICO_COINS = 'x-straico-coins';

/** For the CORS expose list: browser clients on another origin may read these. */
export const SERVED_ROUTE_HEADERS: readonly string[] = [
  SELECTED_MODEL,
  SELECTION_REASON,
  FALLBACKS,
  STRAICO_COINS,
];

/** An upstream's selection reason can be a paragraph: a header value is one bounded line. */
const SELECTION_REASON_MAX = 300;

/** The headers a served route turns into, each value safe to send. */
export function servedRouteHeaders(route: ServedRoute): Record<string, string> {
  const headers: Record<string, string> = { [SELECTED_MODEL]: route.model };
  if (route.selectionReason) {
    headers[SELECTION_REASON] = oneLine(route.selectionReason);
  }
  Object.assign(headers, fallbacksHeader(route.fallbacks));
  if (route.coins !== undefined) {
    headers[STRAICO_COINS] = String(route.coins);
  }
  for (const [name, value] of Object.entries(headers)) {
    headers[name] = safeHeaderValue(value);
  }
  return headers;
}

/** On failure as on success, the client learns which routes were tried. */
export function fallbacksHeader(fallbacks: readonly string[]): Record<string, string> {
  return fallbacks.length > 0 ? { [FALLBACKS]: fallbacks.join(', ') } : {};
}

/** Sends the route as headers; what a stream learns later follows with `withRouteTrailers`. */
export function sendServedRoute(response: Response, route: ServedRoute): void {
  response.set(servedRouteHeaders(route));
}

/**
 * Facts an upstream learns only from its final answer (which model its selector chose, what it
 * cost) cannot be headers once a stream has started: they follow the body as HTTP trailers.
 */
export async function* withRouteTrailers<T>(
  items: AsyncIterable<T>,
  response: Response,
  route: ServedRoute,
): AsyncGenerator<T> {
  const sent = servedRouteHeaders(route);
  yield* items;
  const late = Object.entries(servedRouteHeaders(route)).filter(
    ([name, value]) => sent[name] !== value,
  );
  if (late.length > 0) {
    response.addTrailers(Object.fromEntries(late));
  }
}

function oneLine(text: string): string {
  const line = text
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return line.length > SELECTION_REASON_MAX
    ? `${line.slice(0, SELECTION_REASON_MAX - 3)}...`
    : line;
}
