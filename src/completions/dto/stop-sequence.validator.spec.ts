import { isStopSequence } from './stop-sequence.validator';

describe('isStopSequence', () => {
  it.each<[string, unknown]>([
    ['a string', '\n'],
    ['an empty string', ''],
    ['an array of one string', ['END']],
    ['an array of four strings', ['a', 'b', 'c', 'd']],
  ])('should accept %s', (_name, value) => {
    expect(isStopSequence(value)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an empty array', []],
    ['an array of five strings', ['a', 'b', 'c', 'd', 'e']],
    ['an array with a number', ['a', 1]],
    ['an array with null', [null]],
    ['a number', 42],
    ['a boolean', true],
    ['an object', { stop: 'x' }],
    ['null', null],
    ['undefined', undefined],
  ])('should reject %s', (_name, value) => {
    expect(isStopSequence(value)).toBe(false);
  });
});
