import { findCues } from './complexity-cues';

describe('findCues', () => {
  it.each([
    ['small talk', 'Hi! How are you today?', { code: false, math: false, reasoningCues: 0 }],
    ['a code fence', 'Fix this:\n```\nx = 1\n```', { code: true }],
    ['a Python definition', 'def parse(rows):\n  return rows', { code: true }],
    ['a JavaScript arrow function', 'const add = (a, b) => a + b;', { code: true }],
    ['a SQL query', 'SELECT id, name FROM users WHERE id = 3', { code: true }],
    ['an ES import', "import { Module } from '@nestjs/common'", { code: true }],
    ['a Python import line', 'from collections import deque', { code: true }],
    ['a language name', 'How do I read a file in Rust?', { code: true }],
    ['C++', 'Is C++ faster than Java here?', { code: true }],
    ['a debugging request', 'Help me debug this stack trace', { code: true }],
    ['LaTeX', 'Simplify \\frac{x^2}{x}', { math: true }],
    ['an equation', 'If 3 * 4 = 12, what is 3 * 5?', { math: true }],
    ['a power', 'Expand (a + b)^2 where x^2 appears', { math: true }],
    ['an integral', 'Compute the integral of sin(x)', { math: true }],
    ['a proof', 'Prove that there are infinitely many primes', { math: true, reasoningCues: 1 }],
    ['one reasoning cue', 'Why is the sky blue?', { reasoningCues: 1 }],
    [
      'several reasoning cues',
      'Analyze both designs step by step and compare the trade-offs',
      { reasoningCues: 4 },
    ],
    ['plain prose about a class trip', 'Our class went to the museum and had fun', { code: false }],
  ])('should read %s', (_name, text, expected) => {
    const cues = findCues(text);
    expect(cues).toMatchObject(expected);
    expect(cues.reasoning).toBe(cues.reasoningCues > 0);
  });

  it('should scan hostile text in linear time', () => {
    const hostile = `SELECT ${'a '.repeat(15_000)} function${' '.repeat(15_000)}x import${' '.repeat(2_000)}`;
    const started = Date.now();
    findCues(hostile);
    expect(Date.now() - started).toBeLessThan(200);
  });
});
