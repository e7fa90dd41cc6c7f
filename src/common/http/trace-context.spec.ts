import type { IncomingMessage } from 'node:http';

import { traceIdOf } from './trace-context';

function withTraceparent(value?: string | string[]): IncomingMessage {
  return { headers: value === undefined ? {} : { traceparent: value } } as IncomingMessage;
}

describe('traceIdOf', () => {
  it('should read the trace id of a W3C traceparent', () => {
    expect(
      traceIdOf(withTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')),
    ).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each([
    ['absent', undefined],
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['uppercase hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['short trace id', '00-4bf92f35-00f067aa0ba902b7-01'],
    [
      'a log-injection attempt',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n{"level":60}',
    ],
    ['repeated header', ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']],
  ])('should ignore a traceparent that is %s', (_label, value) => {
    expect(traceIdOf(withTraceparent(value))).toBeUndefined();
  });
});
