import { ChatCompletion, ChatCompletionChunk } from '../providers/chat.types';

export interface CapturedAnswer {
  content: string;
  /** The model that answered, as the response names it. */
  model: string;
}

/** The assistant's text of choice 0 of a complete (non-streamed) answer. */
export function completionAnswer(completion: ChatCompletion): CapturedAnswer {
  const choice = completion.choices.find((candidate) => candidate.index === 0);
  const content = choice?.message.content;
  return { content: typeof content === 'string' ? content : '', model: completion.model };
}

/**
 * Relays the chunks unchanged while collecting choice 0's text, and hands the answer over only
 * once the stream has ended normally: an upstream error mid-stream or a client that goes away
 * (the consumer stops iterating) never reaches `onComplete`, so nothing half-done is kept.
 */
export async function* captureStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  onComplete: (answer: CapturedAnswer) => void,
): AsyncGenerator<ChatCompletionChunk> {
  const parts: string[] = [];
  let model = '';
  for await (const chunk of chunks) {
    model = chunk.model || model;
    // A usage-only chunk may come without `choices`: relayed as the plain route relays it.
    for (const choice of chunk.choices ?? []) {
      if (choice.index === 0 && typeof choice.delta?.content === 'string') {
        parts.push(choice.delta.content);
      }
    }
    yield chunk;
  }
  onComplete({ content: parts.join(''), model });
}
