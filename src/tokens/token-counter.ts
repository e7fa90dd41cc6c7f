import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';

/** Counts the tokens of a text; the selector only needs the count, never the tokens. */
export interface TokenCounter {
  count(text: string): number;
}

/** Texts up to this size are counted exactly; larger ones are sampled (see below). */
const EXACT_CHARS = 32_000;
const SAMPLE_WINDOWS = 16;
/** Pieces handed to the encoder: cut before whitespace when there is some... */
const PIECE_CHARS = 2_048;
/** ...and within 64 characters in a run without any, where BPE merging is quadratic. */
const RUN_CHARS = 64;

/**
 * OpenAI's o200k_base encoding (GPT-4o, GPT-4.1, o-series) from `gpt-tokenizer`: pure
 * JavaScript with the ranks bundled, so nothing is downloaded at run time.
 *
 * Two guards keep the count cheap on hostile input. A long run with no whitespace (base64, a
 * minified blob, "xxxx...") is one pre-token whose merge cost grows with the square of its
 * length (100k letters took seconds), so text is fed in pieces cut where the pre-tokenizer
 * splits anyway. And past EXACT_CHARS the count is extrapolated from evenly spread windows
 * worth EXACT_CHARS in all. On a small VM that bounds a request to about 10 ms for English and
 * 100 ms for random letters (the encoder's slowest input), within about 1% on real prompts; the
 * selector only compares the count with context windows of 128k tokens and more.
 */
export const o200kTokenCounter: TokenCounter = boundedTokenCounter((piece) =>
  // User text may contain "<|endoftext|>": it is counted as the plain text it is.
  countTokens(piece, { disallowedSpecial: new Set() }),
);

/**
 * The guards above around any encoder; exported so a spec can hand it one that records what it
 * was given, and prove the bound by the work done rather than by the clock.
 */
export function boundedTokenCounter(encode: (piece: string) => number): TokenCounter {
  const countPieces = (text: string): number => {
    let tokens = 0;
    for (let start = 0; start < text.length;) {
      const end = pieceEnd(text, start);
      tokens += encode(text.slice(start, end));
      start = end;
    }
    return tokens;
  };
  return {
    count(text: string): number {
      if (text.length <= EXACT_CHARS) {
        return countPieces(text);
      }
      const window = Math.floor(EXACT_CHARS / SAMPLE_WINDOWS);
      const stride = (text.length - window) / (SAMPLE_WINDOWS - 1);
      let tokens = 0;
      let chars = 0;
      for (let index = 0; index < SAMPLE_WINDOWS; index += 1) {
        const start = safeCut(text, Math.floor(index * stride));
        const sample = text.slice(start, safeCut(text, start + window));
        tokens += countPieces(sample);
        chars += sample.length;
      }
      return Math.round((tokens / chars) * text.length);
    },
  };
}

function pieceEnd(text: string, start: number): number {
  const limit = start + PIECE_CHARS;
  if (limit >= text.length) {
    return text.length;
  }
  for (let index = limit; index > start + RUN_CHARS; index -= 1) {
    if (spaceCut(text, index)) {
      return index;
    }
  }
  return runCut(text, start);
}

/**
 * Inside a stretch with little whitespace: at the last place within RUN_CHARS where the
 * encoder's pre-tokenizer splits anyway (before whitespace, digits or punctuation, or from
 * digits to letters), so the count stays exact; a hard cut only inside a single long word.
 */
function runCut(text: string, start: number): number {
  const limit = Math.min(text.length, start + RUN_CHARS);
  if (limit === text.length) {
    return limit;
  }
  for (let index = limit; index > start; index -= 1) {
    const before = classOf(text.charCodeAt(index - 1));
    const after = classOf(text.charCodeAt(index));
    if (
      (after === SPACE && spaceCut(text, index)) ||
      (before !== after && after !== LETTER && after !== SPACE) ||
      (before === DIGIT && after === LETTER)
    ) {
      return index;
    }
  }
  return safeCut(text, limit);
}

const SPACE = 0;
const DIGIT = 1;
const LETTER = 2;
const OTHER = 3;

/**
 * Before the first space of a run is a cut the pre-tokenizer makes too; inside a run of
 * whitespace it is not (runs split where they like: "\n    {" keeps "\n   " together). Line
 * breaks and tabs are not cut before: they join the punctuation before them (",\n") or the
 * word after them ("\tword").
 */
function spaceCut(text: string, index: number): boolean {
  const previous = text.charCodeAt(index - 1);
  return text.charCodeAt(index) === 32 && classOf(previous) !== SPACE;
}

/** ASCII classes as o200k's pre-tokenizer sees them; anything beyond ASCII counts as a letter. */
function classOf(code: number): number {
  if (code === 32 || code === 10 || code === 9 || code === 13) {
    return SPACE;
  }
  if (code >= 48 && code <= 57) {
    return DIGIT;
  }
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code >= 128) {
    return LETTER;
  }
  return OTHER;
}

/** Never split a surrogate pair: half an emoji would count as a replacement character. */
function safeCut(text: string, index: number): number {
  if (index <= 0 || index >= text.length) {
    return Math.max(0, Math.min(index, text.length));
  }
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index;
}
