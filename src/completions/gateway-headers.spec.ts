import type { Response } from 'express';

import { ServedRoute } from '../routing/served-route';
import {
  fallbacksHeader,
  SERVED_ROUTE_HEADERS,
  servedRouteHeaders,
  withRouteTrailers,
} from './gateway-headers';

/** What the edge writes: the headers set and the trailers added, nothing else. */
function recordingResponse() {
  const sent = { headers: {} as Record<string, string>, trailers: [] as object[] };
  const response = {
    set: (headers: Record<string, string>) => Object.assign(sent.headers, headers),
    addTrailers: (trailers: object) => sent.trailers.push(trailers),
  } as unknown as Response;
  return { response, sent };
}

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const item of items) {
    seen.push(item);
  }
  return seen;
}

async function* items<T>(...values: T[]): AsyncGenerator<T> {
  for (const value of values) {
    yield await Promise.resolve(value);
  }
}

describe('servedRouteHeaders', () => {
  it('should name only the model for a plain route', () => {
    const route: ServedRoute = { provider: 'openai', model: 'gpt-4o-mini', fallbacks: [] };
    expect(servedRouteHeaders(route)).toEqual({ 'x-gateway-selected-model': 'gpt-4o-mini' });
  });

  it('should carry the reason, the routes passed over and the cost when there are some', () => {
    const route: ServedRoute = {
      provider: 'straico',
      model: 'straico/claude',
      selectionReason: 'tier=small; policy=balance',
      fallbacks: ['gpt-4o (502)', 'gpt-4.1 (circuit open)'],
      coins: 0.25,
    };
    expect(servedRouteHeaders(route)).toEqual({
      'x-gateway-selected-model': 'straico/claude',
      'x-gateway-selection-reason': 'tier=small; policy=balance',
      'x-gateway-fallbacks': 'gpt-4o (502), gpt-4.1 (circuit open)',
      'x-straico-coins': '0.25',
    });
  });

  it('should make an upstream reason one printable line of at most 300 characters', () => {
    const reason = `Because:\n${'a good fit, '.repeat(40)}\r\nThe end. ✓`;
    const header = servedRouteHeaders({
      provider: 's',
      model: 'm',
      selectionReason: reason,
      fallbacks: [],
    })['x-gateway-selection-reason'];
    expect(header.startsWith('Because: a good fit,')).toBe(true);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(header.length).toBeLessThanOrEqual(300);
  });

  it('should never let a model id break the header', () => {
    const headers = servedRouteHeaders({
      provider: 'x',
      model: 'evil\r\nset-cookie: a',
      fallbacks: [],
    });
    expect(headers['x-gateway-selected-model']).toBe('evil??set-cookie: a');
  });
});

describe('fallbacksHeader', () => {
  it('should be empty when no route was passed over', () => {
    expect(fallbacksHeader([])).toEqual({});
    expect(fallbacksHeader(['a (502)'])).toEqual({ 'x-gateway-fallbacks': 'a (502)' });
  });
});

describe('withRouteTrailers', () => {
  it('should add no trailers when the route did not change during the stream', async () => {
    const { response, sent } = recordingResponse();
    const route: ServedRoute = { provider: 'openai', model: 'gpt-4o', fallbacks: [] };
    expect(await drain(withRouteTrailers(items(1, 2), response, route))).toEqual([1, 2]);
    expect(sent.trailers).toEqual([]);
  });

  it('should send what the upstream learnt at the end of the stream as trailers', async () => {
    const { response, sent } = recordingResponse();
    const route: ServedRoute = { provider: 'straico', model: 'auto', fallbacks: ['x (502)'] };
    async function* reporting() {
      yield await Promise.resolve('chunk');
      // Straico's emulated stream: its answer, and so the facts, arrive after the first chunk.
      Object.assign(route, { model: 'straico/claude', selectionReason: 'best', coins: 3 });
    }
    await drain(withRouteTrailers(reporting(), response, route));
    expect(sent.trailers).toEqual([
      {
        'x-gateway-selected-model': 'straico/claude',
        'x-gateway-selection-reason': 'best',
        'x-straico-coins': '3',
      },
    ]);
  });
});

describe('SERVED_ROUTE_HEADERS', () => {
  it('should list every header a served route can turn into, for CORS', () => {
    const all = servedRouteHeaders({
      provider: 's',
      model: 'm',
      selectionReason: 'r',
      fallbacks: ['f'],
      coins: 1,
    });
    expect([...SERVED_ROUTE_HEADERS].sort()).toEqual(Object.keys(all).sort());
  });
});
