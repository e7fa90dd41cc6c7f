import { createParser, EventSourceMessage } from 'eventsource-parser';

/**
 * Turns a byte stream into SSE events as they complete: events split across TCP chunks are
 * reassembled, comments (keep-alives) are dropped, multi-byte characters split between chunks
 * are decoded correctly.
 */
export async function* parseSse(
  body: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<EventSourceMessage> {
  const ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => ready.push(event) });
  const decoder = new TextDecoder();
  for await (const piece of body) {
    parser.feed(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }));
    while (ready.length > 0) {
      yield ready.shift()!;
    }
  }
  // A last event without its closing blank line still counts once the stream has ended.
  parser.feed(decoder.decode() + '\n\n');
  while (ready.length > 0) {
    yield ready.shift()!;
  }
}
