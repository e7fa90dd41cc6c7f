import { deferred } from '../../common/testing/deferred';
import { ChatCompletion } from '../chat.types';
import { emulateStream, splitContent } from './straico-stream';
import { v2ChatReply } from './__fixtures__/straico-responses';
import { fromStraicoChatResponse } from './straico-response.mapper';
import {
  consume,
  isKeepAlive,
  LONG_TEXT,
  options,
  sleep,
  textCompletion,
  toolCompletion,
} from '../testing/straico-stream.fixtures';

// §1 / §9: Straico cannot stream; the stream is emulated around its single answer, with
// keep-alive chunks while it works (RKP's heartbeat technique).

describe('splitContent', () => {
  it('should return no pieces for an empty string', () => {
    expect(splitContent('')).toEqual([]);
  });

  it('should keep a short text in one piece', () => {
    expect(splitContent('x times 2 is 0.')).toEqual(['x times 2 is 0.']);
  });

  it('should cut a long text at word boundaries into pieces of at most 48 characters', () => {
    const pieces = splitContent(LONG_TEXT);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join('')).toBe(LONG_TEXT);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(48);
      expect(piece).toMatch(/\S\s*$/);
    }
    for (const piece of pieces.slice(1)) {
      expect(piece).toMatch(/^\S/);
    }
  });

  it('should keep newlines, markdown and leading spaces intact', () => {
    const text = '  # Recycling tips\n1. Rinse containers.\n2. Separate paper.\n\n```\ncode\n```\n';
    expect(splitContent(text).join('')).toBe(text);
  });

  it('should keep a word longer than a piece whole', () => {
    const word = 'x'.repeat(80);
    expect(splitContent(`a ${word} b`)).toEqual(['a ', `${word} `, 'b']);
  });

  it('should keep whitespace-only text', () => {
    expect(splitContent('   ')).toEqual(['   ']);
  });
});

describe('emulateStream', () => {
  it('should send the role chunk, keep-alives while pending, then the answer', async () => {
    const answer = deferred<ChatCompletion>();
    const { chunks, done } = consume(emulateStream(answer.promise, options()));

    await sleep(70);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks[0].model).toBe('auto');
    const keepAlives = chunks.slice(1);
    expect(keepAlives.length).toBeGreaterThanOrEqual(2);
    for (const chunk of keepAlives) {
      expect(isKeepAlive(chunk)).toBe(true);
      expect(chunk.model).toBe('auto');
    }

    const completion = textCompletion();
    answer.resolve(completion);
    await done;

    const afterWait = chunks.slice(1 + keepAlives.length).filter((chunk) => !isKeepAlive(chunk));
    const content = afterWait.filter((chunk) => chunk.choices[0].delta.content !== undefined);
    expect(content.length).toBeGreaterThan(1);
    expect(content.map((chunk) => chunk.choices[0].delta.content).join('')).toBe(LONG_TEXT);
    for (const chunk of content) {
      expect(chunk.model).toBe('openai/o4-mini');
      expect(chunk.choices[0].finish_reason).toBeNull();
    }

    const last = chunks[chunks.length - 1];
    expect(last.model).toBe('openai/o4-mini');
    expect(last.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    expect(chunks.filter((chunk) => chunk.choices.length === 0)).toEqual([]);
  });

  it('should give every chunk the same id, created and object', async () => {
    const { chunks, done } = consume(
      emulateStream(Promise.resolve(textCompletion()), options({ includeUsage: true })),
    );
    await done;
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.id).toBe('chatcmpl-emulated-1');
      expect(chunk.created).toBe(1750000000);
      expect(chunk.object).toBe('chat.completion.chunk');
    }
  });

  it('should end with a usage chunk without choices when usage is asked for', async () => {
    const completion = textCompletion();
    const { chunks, done } = consume(
      emulateStream(Promise.resolve(completion), options({ includeUsage: true })),
    );
    await done;
    const last = chunks[chunks.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(completion.usage);
    expect(last.usage).toMatchObject({
      prompt_tokens: 22,
      completion_tokens: 1005,
      total_tokens: 1027,
      straico: { coins: 7.52 },
    });
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
    expect(chunks.filter((chunk) => chunk.usage !== undefined)).toHaveLength(1);
  });

  it('should carry the finish reason of the completion', async () => {
    const completion = fromStraicoChatResponse(
      v2ChatReply('cut', { finish_reason: 'max_tokens' }),
      { tools: [], wantsJson: false, requestedModel: 'x' },
    ).completion;
    const { chunks, done } = consume(emulateStream(Promise.resolve(completion), options()));
    await done;
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('length');
  });

  it('should send each tool call as a header chunk and an arguments chunk', async () => {
    const completion = toolCompletion();
    const calls = completion.choices[0].message.tool_calls as Array<{ id: string }>;
    const { chunks, done } = consume(emulateStream(Promise.resolve(completion), options()));
    await done;

    const deltas = chunks.slice(1).map((chunk) => chunk.choices[0].delta);
    expect(deltas).toEqual([
      {
        tool_calls: [
          {
            index: 0,
            id: calls[0].id,
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] },
      {
        tool_calls: [
          {
            index: 1,
            id: calls[1].id,
            type: 'function',
            function: { name: 'get_time', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 1, function: { arguments: '{"tz":"Europe/Paris"}' } }] },
      {},
    ]);
    expect(calls[0].id).toMatch(/^call_/);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('tool_calls');
    expect(
      chunks.some(
        (chunk) => typeof chunk.choices[0].delta.content === 'string' && chunk !== chunks[0],
      ),
    ).toBe(false);
  });

  it('should send no content chunk for an empty answer', async () => {
    const completion = fromStraicoChatResponse(v2ChatReply(''), {
      tools: [],
      wantsJson: false,
      requestedModel: 'x',
    }).completion;
    const { chunks, done } = consume(emulateStream(Promise.resolve(completion), options()));
    await done;
    expect(chunks.map((chunk) => chunk.choices[0].delta)).toEqual([
      { role: 'assistant', content: '' },
      {},
    ]);
  });
});
