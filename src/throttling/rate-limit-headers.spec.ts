import { formatResetDuration } from './rate-limit-headers';

describe('formatResetDuration', () => {
  it.each([
    [0, '0s'],
    [0.2, '1s'],
    [1, '1s'],
    [59, '59s'],
    [59.1, '1m0s'],
    [60, '1m0s'],
    [61, '1m1s'],
    [360, '6m0s'],
    [3599, '59m59s'],
    [3600, '1h0m0s'],
    [3661, '1h1m1s'],
    [86_400, '24h0m0s'],
  ])('should format %p seconds as %p', (seconds, expected) => {
    expect(formatResetDuration(seconds)).toBe(expected);
  });

  it.each([-1, -0.5, -3600])('should clamp a negative duration (%p) to "0s"', (seconds) => {
    expect(formatResetDuration(seconds)).toBe('0s');
  });
});
