/** What the text of a request hints about its difficulty. */
export interface ComplexityCues {
  code: boolean;
  math: boolean;
  reasoning: boolean;
  /** Distinct reasoning cues found ("why" and "step by step" are two). */
  reasoningCues: number;
}

/** Only this much text, newest first, is scanned: cues sit in the recent turns anyway. */
export const CUE_SCAN_CHARS = 32_000;

// Written so that no pattern backtracks badly on hostile text: no two adjacent repeats can
// match the same characters without a bound.
const CODE_PATTERNS: readonly RegExp[] = [
  /```/,
  /\b(?:def|fn|func)\s+\w+\s*\(|\bfunction(?:\s+\w+)?\s*\(|\bclass\s+\w+\s*[:({]/,
  /\b(?:const|let|var)\s+\w+\s*=|=>|#include\s*<|\bconsole\.log\(|\bSystem\.out\./,
  /\bSELECT\b[^;\n]{1,200}?\bFROM\b|\bimport\s[^;\n]{0,200}?\sfrom\s*['"]/,
  /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import\b|import[ \t]+[\w.]+[ \t]*$)/m,
  /\b(?:python|javascript|typescript|java|golang|rust|kotlin|swift|php|ruby|bash)\b|\bc(?:\+\+|#)\B/i,
  /\b(?:code|function|bug|debug\w*|compiler?|refactor\w*|regex|stack ?trace|segfault|unit tests?)\b/i,
];

const MATH_PATTERNS: readonly RegExp[] = [
  /\\(?:frac|int|sum|sqrt|lim|prod|partial|infty|mathbb|cdot|begin\{(?:equation|align))|\$\$/,
  /\d\s*[-+*/^×÷]\s*\d[\d.]*\s*=|\b[a-z]\s*\^\s*\d|\b[a-z]\s*=\s*-?\d[\d.]*\s*[-+*/]\s*\w/i,
  /\b(?:prove|proof|theorem|lemma|integra(?:l|te)|derivative|differentiate|equations?)\b/i,
  /\b(?:solve for|probability|eigen\w*|matri(?:x|ces)|polynomials?|logarithms?|calculus)\b/i,
];

const REASONING_PATTERNS: readonly RegExp[] = [
  /\bstep[- ]by[- ]step\b/i,
  /\banaly[sz](?:e|is|ing)\b/i,
  /\b(?:compare|comparison|contrast)\b/i,
  /\bwhy\b/i,
  /\bexplain\w*\b/i,
  /\b(?:trade-?offs?|pros and cons)\b/i,
  /\b(?:evaluate|assess|critique|justify)\b/i,
  /\b(?:prove|proof)\b/i,
  /\b(?:root cause|think (?:it )?through|reason about)\b/i,
  /\b(?:design|architect\w*|strateg(?:y|ies)|plan)\b/i,
];

export function findCues(text: string): ComplexityCues {
  const reasoningCues = REASONING_PATTERNS.filter((pattern) => pattern.test(text)).length;
  return {
    code: CODE_PATTERNS.some((pattern) => pattern.test(text)),
    math: MATH_PATTERNS.some((pattern) => pattern.test(text)),
    reasoning: reasoningCues > 0,
    reasoningCues,
  };
}
