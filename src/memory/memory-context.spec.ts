import { ChatMessage } from '../providers/chat.types';
import { o200kTokenCounter } from '../tokens/token-counter';
import {
  MEMORY_MESSAGE_HEADER,
  memoryMessage,
  messageText,
  newUserTurns,
  retrievalQuery,
  selectMemories,
  withMemoryMessage,
} from './memory-context';
import { MemoryRecord } from './memory.types';

const length = (text: string) => text.length;

let nextId = 0;
function memory(
  content: string,
  createdAt = '2026-11-20T14:03:27.123Z',
  role = 'user',
): MemoryRecord {
  nextId += 1;
  return {
    id: `id-${nextId}`,
    namespace: 'user123',
    role,
    content,
    model: null,
    requestId: null,
    metadata: {},
    createdAt: new Date(createdAt),
  };
}

/** The line `memoryMessage` writes for a memory, which is what `selectMemories` budgets. */
function lineOf(record: MemoryRecord): string {
  return (memoryMessage([record]).content as string).split('\n')[1];
}

describe('messageText', () => {
  it('should return string content as it is', () => {
    expect(messageText({ role: 'user', content: 'hello\nworld' })).toBe('hello\nworld');
  });

  it('should join the text parts with newlines and ignore image and audio parts', () => {
    const message: ChatMessage = {
      role: 'user',
      content: [
        { type: 'text', text: 'first' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
        { type: 'text', text: 'second' },
      ],
    };

    expect(messageText(message)).toBe('first\nsecond');
  });

  it('should ignore text parts whose text is not a string', () => {
    const message: ChatMessage = {
      role: 'user',
      content: [
        { type: 'text', text: 42 },
        { type: 'text', text: 'kept' },
      ],
    };

    expect(messageText(message)).toBe('kept');
  });

  it('should return an empty string for null, missing or image-only content', () => {
    expect(messageText({ role: 'assistant', content: null })).toBe('');
    expect(messageText({ role: 'assistant' })).toBe('');
    expect(
      messageText({ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }),
    ).toBe('');
  });
});

describe('retrievalQuery', () => {
  it('should return an empty string when there is no user message', () => {
    expect(retrievalQuery([])).toBe('');
    expect(
      retrievalQuery([
        { role: 'system', content: 'You are helpful.' },
        { role: 'assistant', content: 'Hi there.' },
      ]),
    ).toBe('');
  });

  it('should use only the user message when it is the first message', () => {
    expect(retrievalQuery([{ role: 'user', content: 'What is my dog called?' }])).toBe(
      'What is my dog called?',
    );
  });

  it('should put the turn before the latest user message ahead of it', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Find me a flight to Rome.' },
      { role: 'assistant', content: 'Shall I book the 9:00 flight?' },
      { role: 'user', content: 'yes, book it' },
    ];

    expect(retrievalQuery(messages)).toBe('Shall I book the 9:00 flight?\nyes, book it');
  });

  it('should use the latest user message even when an assistant message follows it', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'old question' },
      { role: 'assistant', content: 'old answer' },
      { role: 'user', content: 'new question' },
      { role: 'assistant', content: 'partial answer' },
    ];

    expect(retrievalQuery(messages)).toBe('old answer\nnew question');
  });

  it('should keep only the last 300 characters of the turn before', () => {
    const previous = 'A'.repeat(100) + 'B'.repeat(300);
    const messages: ChatMessage[] = [
      { role: 'assistant', content: previous },
      { role: 'user', content: 'yes' },
    ];

    expect(retrievalQuery(messages)).toBe(`${'B'.repeat(300)}\nyes`);
  });

  it('should keep the turn before whole when it is exactly 300 characters', () => {
    const previous = 'x'.repeat(300);

    expect(
      retrievalQuery([
        { role: 'assistant', content: previous },
        { role: 'user', content: 'ok' },
      ]),
    ).toBe(`${previous}\nok`);
  });

  it('should leave out an empty turn before instead of adding a blank line', () => {
    expect(
      retrievalQuery([
        { role: 'assistant', content: null },
        { role: 'user', content: 'hello' },
      ]),
    ).toBe('hello');
  });
});

describe('newUserTurns', () => {
  it('should return the user messages after the last assistant message', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'answer one' },
      { role: 'user', content: 'second' },
      { role: 'assistant', content: 'answer two' },
      { role: 'user', content: 'third' },
      { role: 'tool', content: 'tool output' },
      { role: 'user', content: [{ type: 'text', text: 'fourth' }] },
    ];

    expect(newUserTurns(messages)).toEqual(['third', 'fourth']);
  });

  it('should return every user message when there is no assistant message', () => {
    expect(
      newUserTurns([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'one' },
        { role: 'user', content: 'two' },
      ]),
    ).toEqual(['one', 'two']);
  });

  it('should skip user messages that are empty or only whitespace', () => {
    expect(
      newUserTurns([
        { role: 'assistant', content: 'hi' },
        { role: 'user', content: '' },
        { role: 'user', content: '  \n ' },
        { role: 'user', content: null },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] },
        { role: 'user', content: 'real' },
      ]),
    ).toEqual(['real']);
  });

  it('should return nothing when the last message is from the assistant', () => {
    expect(
      newUserTurns([
        { role: 'user', content: 'question' },
        { role: 'assistant', content: 'answer' },
      ]),
    ).toEqual([]);
  });
});

describe('selectMemories', () => {
  it('should skip memories whose content equals a message of the request', () => {
    const repeated = memory('My dog is called Rex.');
    const other = memory('I live in Lisbon.');
    const messages: ChatMessage[] = [
      { role: 'user', content: 'My dog is called Rex.' },
      { role: 'user', content: [{ type: 'text', text: 'I live in Lisbon.' }] },
    ];

    expect(selectMemories([repeated, other], messages, 10_000, length)).toEqual([]);
  });

  it('should keep memories that only contain a message of the request', () => {
    const longer = memory('My dog is called Rex and he is five.');
    const messages: ChatMessage[] = [{ role: 'user', content: 'My dog is called Rex' }];

    expect(selectMemories([longer], messages, 10_000, length)).toEqual([longer]);
  });

  it('should keep the rank order of the memories, not their dates', () => {
    const newest = memory('newest', '2026-12-01T00:00:00Z');
    const oldest = memory('oldest', '2020-01-01T00:00:00Z');
    const middle = memory('middle', '2024-06-01T00:00:00Z');

    expect(selectMemories([newest, oldest, middle], [], 10_000, length)).toEqual([
      newest,
      oldest,
      middle,
    ]);
  });

  it('should count the header against the budget', () => {
    const record = memory('short');
    const exact = MEMORY_MESSAGE_HEADER.length + lineOf(record).length;

    expect(selectMemories([record], [], exact, length)).toEqual([record]);
    expect(selectMemories([record], [], exact - 1, length)).toEqual([]);
  });

  it('should choose nothing when the budget does not even cover the header', () => {
    expect(selectMemories([memory('a')], [], MEMORY_MESSAGE_HEADER.length - 1, length)).toEqual([]);
  });

  it('should stop adding memories once the budget is spent', () => {
    const first = memory('first');
    const second = memory('second');
    const third = memory('third!');
    const budget = MEMORY_MESSAGE_HEADER.length + lineOf(first).length + lineOf(second).length + 3;

    expect(selectMemories([first, second, third], [], budget, length)).toEqual([first, second]);
  });

  it('should skip a memory that would overflow the budget and keep later smaller ones', () => {
    const small = memory('small one');
    const huge = memory('h'.repeat(500));
    const tiny = memory('tiny');
    const budget = MEMORY_MESSAGE_HEADER.length + lineOf(small).length + lineOf(tiny).length;

    expect(selectMemories([small, huge, tiny], [], budget, length)).toEqual([small, tiny]);
  });

  it('should budget with the token counter it is given', () => {
    const records = [memory('My dog is called Rex.'), memory('I live in Lisbon.')];
    const count = (text: string) => o200kTokenCounter.count(text);
    const header = count(MEMORY_MESSAGE_HEADER);
    const first = count(lineOf(records[0]));
    const second = count(lineOf(records[1]));

    expect(selectMemories(records, [], header + first + second, count)).toEqual(records);
    expect(selectMemories(records, [], header + first + second - 1, count)).toEqual([records[0]]);
  });
});

describe('memoryMessage', () => {
  it('should build one system message with the header first', () => {
    const message = memoryMessage([memory('My dog is called Rex.')]);

    expect(message.role).toBe('system');
    expect((message.content as string).split('\n')[0]).toBe(MEMORY_MESSAGE_HEADER);
  });

  it('should format each memory as a dated line with its role', () => {
    const message = memoryMessage([
      memory('My dog is called Rex.', '2026-11-20T14:03:27.123Z', 'user'),
    ]);

    expect(message.content).toBe(
      `${MEMORY_MESSAGE_HEADER}\n- [2026-11-20 14:03 UTC] user: My dog is called Rex.`,
    );
  });

  it('should write the time in UTC whatever the offset the date was given with', () => {
    const message = memoryMessage([memory('late', '2026-11-20T23:30:00-05:00', 'assistant')]);

    expect((message.content as string).split('\n')[1]).toBe(
      '- [2026-11-21 04:30 UTC] assistant: late',
    );
  });

  it('should list the memories oldest first whatever order they come in', () => {
    const message = memoryMessage([
      memory('middle', '2025-06-01T12:00:00Z'),
      memory('newest', '2026-01-01T08:15:00Z', 'assistant'),
      memory('oldest', '2024-02-29T00:00:00Z'),
    ]);

    expect((message.content as string).split('\n').slice(1)).toEqual([
      '- [2024-02-29 00:00 UTC] user: oldest',
      '- [2025-06-01 12:00 UTC] user: middle',
      '- [2026-01-01 08:15 UTC] assistant: newest',
    ]);
  });

  it('should not reorder the array it is given', () => {
    const records = [memory('b', '2026-01-02T00:00:00Z'), memory('a', '2026-01-01T00:00:00Z')];
    const before = [...records];

    memoryMessage(records);

    expect(records).toEqual(before);
  });

  it('should flatten newlines in the content, with the spaces around them, to one space', () => {
    const message = memoryMessage([
      memory('line one  \n   line two\r\nline three\n\n\nline four', '2026-11-20T14:03:00Z'),
    ]);
    const lines = (message.content as string).split('\n');

    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('- [2026-11-20 14:03 UTC] user: line one line two line three line four');
  });

  it('should hold only the header when there are no memories', () => {
    expect(memoryMessage([])).toEqual({ role: 'system', content: MEMORY_MESSAGE_HEADER });
  });
});

describe('withMemoryMessage', () => {
  const added: ChatMessage = { role: 'system', content: 'MEMORIES' };

  it('should insert the message after the leading system and developer messages', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are helpful.' },
      { role: 'developer', content: 'Answer in French.' },
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Bonjour' },
    ];

    expect(withMemoryMessage(messages, added)).toEqual([
      messages[0],
      messages[1],
      messages[2],
      added,
      messages[3],
      messages[4],
    ]);
  });

  it('should insert the message first when there is no leading system or developer message', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi' },
    ];

    expect(withMemoryMessage(messages, added)).toEqual([added, messages[0], messages[1]]);
  });

  it('should not be moved by a system message later in the conversation', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hello' },
      { role: 'system', content: 'Late instruction.' },
      { role: 'user', content: 'Again' },
    ];

    const result = withMemoryMessage(messages, added);

    expect(result).toEqual([added, ...messages]);
    expect(result.indexOf(added)).toBe(0);
  });

  it('should append the message when every message is a system or developer message', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'one' },
      { role: 'developer', content: 'two' },
    ];

    expect(withMemoryMessage(messages, added)).toEqual([...messages, added]);
  });

  it('should return the message alone for an empty conversation', () => {
    expect(withMemoryMessage([], added)).toEqual([added]);
  });

  it('should return a new array and leave the input untouched', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'Hello' },
    ];
    const snapshot = structuredClone(messages);

    const result = withMemoryMessage(messages, added);

    expect(result).not.toBe(messages);
    expect(result).toHaveLength(3);
    expect(messages).toEqual(snapshot);
    expect(messages).toHaveLength(2);
  });
});
