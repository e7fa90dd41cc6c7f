import { ChatCompletion, ChatCompletionChunk } from '../chat.types';

const CONTENT_PIECE_CHARS = 48;

export interface EmulationOptions {
  id: string;
  created: number;
  /** Shown until Straico says which model answered. */
  provisionalModel: string;
  keepAliveMs: number;
  includeUsage: boolean;
  signal: AbortSignal;
}

/**
 * Straico cannot stream, so a stream is emulated around one pending answer: the role chunk at
 * once, an empty-delta chunk every `keepAliveMs` while Straico works (so the client and any proxy
 * in between see bytes long before their idle timeouts), then the answer as content chunks (or
 * tool-call deltas with proper indexes), the finish chunk, the usage chunk when asked, and the
 * caller's `[DONE]`.
 */
export async function* emulateStream(
  answer: Promise<ChatCompletion>,
  options: EmulationOptions,
): AsyncGenerator<ChatCompletionChunk> {
  const chunk = (
    model: string,
    delta: Record<string, unknown>,
    finishReason: string | null = null,
  ) =>
    ({
      id: options.id,
      object: 'chat.completion.chunk',
      created: options.created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    }) as ChatCompletionChunk;

  yield chunk(options.provisionalModel, { role: 'assistant', content: '' });
  let completion: ChatCompletion | undefined;
  while (!completion) {
    completion = await settledWithin(answer, options.keepAliveMs, options.signal);
    if (!completion) {
      yield chunk(options.provisionalModel, {});
    }
  }

  const model = completion.model;
  const choice = completion.choices[0];
  const toolCalls = choice.message.tool_calls as
    Array<{ id: string; type: string; function: { name: string; arguments: string } }> | undefined;
  if (toolCalls?.length) {
    for (const [index, call] of toolCalls.entries()) {
      yield chunk(model, {
        tool_calls: [
          {
            index,
            id: call.id,
            type: call.type,
            function: { name: call.function.name, arguments: '' },
          },
        ],
      });
      yield chunk(model, {
        tool_calls: [{ index, function: { arguments: call.function.arguments } }],
      });
    }
  } else {
    for (const piece of splitContent(choice.message.content ?? '')) {
      yield chunk(model, { content: piece });
    }
  }
  yield chunk(model, {}, choice.finish_reason);
  if (options.includeUsage) {
    yield { ...chunk(model, {}), choices: [], usage: completion.usage };
  }
}

/** Word-boundary pieces of about CONTENT_PIECE_CHARS characters. */
export function splitContent(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of text.match(/\S+\s*|\s+/g) ?? []) {
    if (current.length > 0 && current.length + word.length > CONTENT_PIECE_CHARS) {
      pieces.push(current);
      current = '';
    }
    current += word;
  }
  if (current.length > 0) {
    pieces.push(current);
  }
  return pieces;
}

/** The answer if it settles within `ms`, else undefined; rejects as the answer does. */
function settledWithin<T>(
  promise: Promise<T>,
  ms: number,
  signal: AbortSignal,
): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const aborted = () =>
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    // The client may have gone while the generator was parked at a yield.
    if (signal.aborted) {
      aborted();
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve(undefined);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      aborted();
    };
    signal.addEventListener('abort', stop, { once: true });
    promise.then(
      (value) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (error: Error) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', stop);
        reject(error);
      },
    );
  });
}
