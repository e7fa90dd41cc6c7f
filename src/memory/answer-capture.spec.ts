import { ChatCompletion, ChatCompletionChunk } from '../providers/chat.types';
import { CapturedAnswer, captureStream, completionAnswer } from './answer-capture';

function completion(
  choices: Array<{ index: number; content: string | null }>,
  model = 'gpt-4o-mini',
): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: choices.map(({ index, content }) => ({
      index,
      message: { role: 'assistant', content },
      finish_reason: 'stop',
    })),
  };
}

function chunk(
  deltas: Array<{ index: number; content?: string | null; role?: string }>,
  model = 'gpt-4o-mini',
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: deltas.map(({ index, ...delta }) => ({ index, delta, finish_reason: null })),
  };
}

/** A source that yields the chunks one by one and records how far it was read. */
function source(chunks: ChatCompletionChunk[], failAfter?: number) {
  const state = { yielded: 0, finished: false, closed: false };
  async function* generate(): AsyncGenerator<ChatCompletionChunk> {
    try {
      for (const [position, item] of chunks.entries()) {
        await Promise.resolve();
        if (position === failAfter) {
          throw new Error('upstream reset');
        }
        state.yielded += 1;
        yield item;
      }
      state.finished = true;
    } finally {
      state.closed = true;
    }
  }
  return { iterable: generate(), state };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) {
    items.push(item);
  }
  return items;
}

describe('completionAnswer', () => {
  it('should return the content of choice 0 and the model', () => {
    expect(completionAnswer(completion([{ index: 0, content: 'Rex.' }], 'gpt-4.1'))).toEqual({
      content: 'Rex.',
      model: 'gpt-4.1',
    });
  });

  it('should pick the choice with index 0 even when it is not listed first', () => {
    const answer = completionAnswer(
      completion([
        { index: 2, content: 'third' },
        { index: 1, content: 'second' },
        { index: 0, content: 'first' },
      ]),
    );

    expect(answer.content).toBe('first');
  });

  it('should answer an empty string when the content is null', () => {
    expect(completionAnswer(completion([{ index: 0, content: null }]))).toEqual({
      content: '',
      model: 'gpt-4o-mini',
    });
  });

  it('should answer an empty string when there is no choice 0', () => {
    expect(completionAnswer(completion([{ index: 1, content: 'other' }])).content).toBe('');
    expect(completionAnswer(completion([])).content).toBe('');
  });
});

describe('captureStream', () => {
  it('should relay every chunk unchanged and in order', async () => {
    const chunks = [
      chunk([{ index: 0, role: 'assistant', content: '' }]),
      chunk([{ index: 0, content: 'Hel' }]),
      chunk([{ index: 0, content: 'lo' }]),
      { ...chunk([]), usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
    ];
    const copies = structuredClone(chunks);

    const relayed = await collect(captureStream(source(chunks).iterable, jest.fn()));

    expect(relayed).toHaveLength(chunks.length);
    relayed.forEach((item, position) => expect(item).toBe(chunks[position]));
    expect(relayed).toEqual(copies);
  });

  it('should hand over the concatenated text of choice 0 and the model once the stream ends', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();
    const chunks = [
      chunk([{ index: 0, role: 'assistant' }], 'gpt-4o-2024-08-06'),
      chunk([{ index: 0, content: 'My dog ' }], 'gpt-4o-2024-08-06'),
      chunk([{ index: 0, content: 'is Rex.' }], 'gpt-4o-2024-08-06'),
    ];

    await collect(captureStream(source(chunks).iterable, onComplete));

    expect(onComplete).toHaveBeenCalledTimes(1);
    expect(onComplete).toHaveBeenCalledWith({
      content: 'My dog is Rex.',
      model: 'gpt-4o-2024-08-06',
    });
  });

  it('should collect only the deltas of choice 0', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();
    const chunks = [
      chunk([
        { index: 1, content: 'B1 ' },
        { index: 0, content: 'A1 ' },
      ]),
      chunk([{ index: 1, content: 'B2' }]),
      chunk([
        { index: 0, content: 'A2' },
        { index: 2, content: 'C' },
      ]),
      chunk([{ index: 0, content: null }]),
      chunk([{ index: 0 }]),
    ];

    await collect(captureStream(source(chunks).iterable, onComplete));

    expect(onComplete).toHaveBeenCalledWith(expect.objectContaining({ content: 'A1 A2' }));
  });

  it('should take the model from the chunks, keeping the last one that names it', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();
    const chunks = [
      chunk([{ index: 0, content: 'a' }], 'first-model'),
      chunk([{ index: 0, content: 'b' }], 'gpt-4o-mini-2024-07-18'),
      chunk([{ index: 0, content: 'c' }], ''),
    ];

    await collect(captureStream(source(chunks).iterable, onComplete));

    expect(onComplete).toHaveBeenCalledWith({ content: 'abc', model: 'gpt-4o-mini-2024-07-18' });
  });

  it('should hand over an empty answer for a stream without chunks', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();

    await collect(captureStream(source([]).iterable, onComplete));

    expect(onComplete).toHaveBeenCalledTimes(1);
    expect(onComplete).toHaveBeenCalledWith({ content: '', model: '' });
  });

  it('should call onComplete only after the last chunk has been relayed', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();
    const stream = captureStream(
      source([chunk([{ index: 0, content: 'a' }]), chunk([{ index: 0, content: 'b' }])]).iterable,
      onComplete,
    );

    await stream.next();
    expect(onComplete).not.toHaveBeenCalled();
    await stream.next();
    expect(onComplete).not.toHaveBeenCalled();
    const end = await stream.next();

    expect(end.done).toBe(true);
    expect(onComplete).toHaveBeenCalledTimes(1);
  });

  it('should propagate an error from the source and not call onComplete', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();
    const { iterable } = source(
      [chunk([{ index: 0, content: 'half ' }]), chunk([{ index: 0, content: 'done' }])],
      1,
    );
    const relayed: ChatCompletionChunk[] = [];

    await expect(
      (async () => {
        for await (const item of captureStream(iterable, onComplete)) {
          relayed.push(item);
        }
      })(),
    ).rejects.toThrow('upstream reset');

    expect(relayed).toHaveLength(1);
    expect(onComplete).not.toHaveBeenCalled();
  });

  it('should not call onComplete when the consumer breaks out of the loop', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();
    const { iterable, state } = source([
      chunk([{ index: 0, content: 'a' }]),
      chunk([{ index: 0, content: 'b' }]),
      chunk([{ index: 0, content: 'c' }]),
    ]);

    for await (const item of captureStream(iterable, onComplete)) {
      expect(item.choices[0].delta.content).toBe('a');
      break;
    }

    expect(onComplete).not.toHaveBeenCalled();
    expect(state.yielded).toBe(1);
    expect(state.finished).toBe(false);
    expect(state.closed).toBe(true);
  });

  it('should not call onComplete when the consumer calls return()', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();
    const { iterable, state } = source([
      chunk([{ index: 0, content: 'a' }]),
      chunk([{ index: 0, content: 'b' }]),
    ]);
    const stream = captureStream(iterable, onComplete);

    await stream.next();
    const returned = await stream.return(undefined);
    const after = await stream.next();

    expect(returned.done).toBe(true);
    expect(after.done).toBe(true);
    expect(onComplete).not.toHaveBeenCalled();
    expect(state.closed).toBe(true);
    expect(state.finished).toBe(false);
  });

  it('should not call onComplete when return() is called before the first chunk', async () => {
    const onComplete = jest.fn<void, [CapturedAnswer]>();
    const stream = captureStream(
      source([chunk([{ index: 0, content: 'a' }])]).iterable,
      onComplete,
    );

    await stream.return(undefined);
    const after = await stream.next();

    expect(after.done).toBe(true);
    expect(onComplete).not.toHaveBeenCalled();
  });
});
