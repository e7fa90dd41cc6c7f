import type { EventSourceMessage } from 'eventsource-parser';

import { parseSse } from './sse-parser';

const encoder = new TextEncoder();

async function* streamOf(pieces: Array<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  for (const piece of pieces) {
    // Yield control between pieces, like a socket would.
    await Promise.resolve();
    yield piece;
  }
}

async function collect(pieces: Array<Uint8Array | string>): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  for await (const event of parseSse(streamOf(pieces))) {
    events.push(event);
  }
  return events;
}

async function dataOf(pieces: Array<Uint8Array | string>): Promise<string[]> {
  return (await collect(pieces)).map((event) => event.data);
}

describe('parseSse', () => {
  const stream =
    ': keep-alive\n\n' +
    'data: {"choices":[{"delta":{"content":"Café 🚀"}}]}\n\n' +
    'event: message\ndata: line one\ndata: line two\n\n' +
    'data: [DONE]\n\n';
  const expected = [
    '{"choices":[{"delta":{"content":"Café 🚀"}}]}',
    'line one\nline two',
    '[DONE]',
  ];

  it('should parse a whole stream delivered in one chunk', async () => {
    await expect(dataOf([encoder.encode(stream)])).resolves.toEqual(expected);
  });

  it('should reassemble events split into two chunks at every byte position', async () => {
    const bytes = encoder.encode(stream);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const events = await dataOf([bytes.slice(0, cut), bytes.slice(cut)]);
      expect({ cut, events }).toEqual({ cut, events: expected });
    }
  });

  it('should reassemble a stream delivered one byte at a time', async () => {
    const bytes = encoder.encode(stream);
    const pieces = Array.from(bytes, (byte) => Uint8Array.of(byte));
    await expect(dataOf(pieces)).resolves.toEqual(expected);
  });

  it('should reassemble string chunks split at every character position', async () => {
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const events = await dataOf([stream.slice(0, cut), stream.slice(cut)]);
      expect({ cut, events }).toEqual({ cut, events: expected });
    }
  });

  it('should decode a two-byte character split across two chunks', async () => {
    const bytes = encoder.encode('data: é\n\n');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of "é"
    await expect(dataOf([bytes.slice(0, cut), bytes.slice(cut)])).resolves.toEqual(['é']);
  });

  it('should decode a four-byte emoji split across chunks at every inner byte', async () => {
    const bytes = encoder.encode('data: 🚀!\n\n');
    const start = bytes.indexOf(0xf0);
    for (let cut = start + 1; cut < start + 4; cut += 1) {
      await expect(dataOf([bytes.slice(0, cut), bytes.slice(cut)])).resolves.toEqual(['🚀!']);
    }
  });

  it.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
    ['\\r', '\r'],
  ])('should accept %s line endings', async (_name, eol) => {
    const text =
      `data: first${eol}${eol}` +
      `: ping${eol}${eol}` +
      `data: a${eol}data: b${eol}${eol}` +
      `data: [DONE]${eol}${eol}` +
      // A trailing comment makes the last blank line's CR unambiguous (it could start a CRLF).
      `: bye${eol}`;
    await expect(dataOf([text])).resolves.toEqual(['first', 'a\nb', '[DONE]']);
  });

  it('should treat a CRLF split between two chunks as one line ending', async () => {
    const events = await dataOf(['data: one\r', '\n\r', '\ndata: two\r\n\r\n']);
    expect(events).toEqual(['one', 'two']);
  });

  it('should drop comment lines and never yield them as events', async () => {
    const events = await collect([': keep-alive\n\n', ':\n\n', ': another\ndata: x\n\n']);
    expect(events).toHaveLength(1);
    expect(events[0].data).toBe('x');
  });

  it('should deliver [DONE] as an ordinary data event', async () => {
    const events = await collect(['data: [DONE]\n\n']);
    expect(events).toEqual([{ id: undefined, event: undefined, data: '[DONE]' }]);
  });

  it('should join multi-line data with \\n and keep the event name and id', async () => {
    const events = await collect(['id: 7\nevent: delta\ndata: one\ndata:two\ndata: three\n\n']);
    expect(events).toEqual([{ id: '7', event: 'delta', data: 'one\ntwo\nthree' }]);
  });

  it('should yield an event as soon as its chunk arrives, before the stream ends', async () => {
    let releaseSecond!: () => void;
    const secondAllowed = new Promise<void>((resolve) => (releaseSecond = resolve));
    async function* slow(): AsyncGenerator<string> {
      yield 'data: first\n\n';
      await secondAllowed;
      yield 'data: second\n\n';
    }
    const iterator = parseSse(slow());
    const first = await iterator.next();
    expect(first.value).toEqual(expect.objectContaining({ data: 'first' }));
    releaseSecond();
    const second = await iterator.next();
    expect(second.value).toEqual(expect.objectContaining({ data: 'second' }));
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('should yield nothing for an empty stream', async () => {
    await expect(collect([])).resolves.toEqual([]);
  });

  it('should deliver a final event whose blank line arrives alone in the last chunk', async () => {
    await expect(dataOf(['data: a\n\ndata: last\n', '\n'])).resolves.toEqual(['a', 'last']);
  });

  it('should deliver a final event without a trailing newline at end of stream', async () => {
    await expect(dataOf(['data: a\n\ndata: last'])).resolves.toEqual(['a', 'last']);
  });

  it('should deliver a final event without a trailing blank line at end of stream', async () => {
    await expect(dataOf(['data: a\n\ndata: [DONE]\n'])).resolves.toEqual(['a', '[DONE]']);
  });

  it('should deliver a complete CR-terminated event that ends the stream', async () => {
    await expect(dataOf(['data: a\r\rdata: [DONE]\r\r'])).resolves.toEqual(['a', '[DONE]']);
  });
});
