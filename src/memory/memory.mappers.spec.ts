import 'reflect-metadata';

import { GatewayException } from '../common/errors/gateway.exception';
import { MAX_BATCH } from './dto/memory.dto';
import { parseNewMemories, toMemoryDto, toNamespaceDto } from './memory.mappers';
import { MemoryRecord, ScoredMemory } from './memory.types';

/** The GatewayException `parseNewMemories` throws for the body; fails if it does not throw one. */
function rejection(body: unknown): GatewayException {
  try {
    parseNewMemories(body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayException);
    return error as GatewayException;
  }
  throw new Error('parseNewMemories accepted the body');
}

function expectBadRequest(body: unknown, param: string | null): GatewayException {
  const error = rejection(body);
  expect(error.getStatus()).toBe(400);
  expect(error.body.type).toBe('invalid_request_error');
  expect(error.body.param).toBe(param);
  return error;
}

const record: MemoryRecord = {
  id: '0b6f4c1e-8a53-4c3e-9f0e-2d1f7f3f9a10',
  namespace: 'user123',
  role: 'assistant',
  content: 'Your dog is called Rex.',
  model: 'gpt-4o-mini',
  requestId: 'req-42',
  metadata: { source: 'chat', turn: 3 },
  createdAt: new Date('2026-11-20T14:03:27.123Z'),
};

describe('parseNewMemories', () => {
  it('should turn one object into one memory', () => {
    expect(
      parseNewMemories({
        content: 'My dog is called Rex.',
        role: 'assistant',
        metadata: { source: 'import' },
      }),
    ).toEqual([
      {
        content: 'My dog is called Rex.',
        role: 'assistant',
        metadata: { source: 'import' },
        createdAt: undefined,
      },
    ]);
  });

  it('should leave the optional fields undefined when they are not given', () => {
    const [memory] = parseNewMemories({ content: 'hello' });

    expect(memory.content).toBe('hello');
    expect(memory.role).toBeUndefined();
    expect(memory.metadata).toBeUndefined();
    expect(memory.createdAt).toBeUndefined();
  });

  it('should turn an array into one memory per item, in order', () => {
    const memories = parseNewMemories([
      { content: 'first' },
      { content: 'second', role: 'system' },
      { content: 'third', role: 'user' },
    ]);

    expect(memories.map((memory) => [memory.content, memory.role])).toEqual([
      ['first', undefined],
      ['second', 'system'],
      ['third', 'user'],
    ]);
  });

  it('should accept a batch of exactly the maximum size', () => {
    const items = Array.from({ length: MAX_BATCH }, (_, index) => ({ content: `m${index}` }));

    expect(parseNewMemories(items)).toHaveLength(MAX_BATCH);
  });

  it('should reject an empty array with 400', () => {
    const error = expectBadRequest([], null);

    expect(error.body.code).toBe('invalid_value');
  });

  it('should reject more than 1000 memories with 400', () => {
    const items = Array.from({ length: MAX_BATCH + 1 }, () => ({ content: 'x' }));

    expect(MAX_BATCH).toBe(1000);
    expectBadRequest(items, null);
  });

  it.each([
    ['a string', 'text'],
    ['a number', 7],
    ['null', null],
    ['an array', [{ content: 'nested' }]],
  ])('should reject %s inside a batch with param [i]', (_label, item) => {
    expectBadRequest([{ content: 'fine' }, item], '[1]');
  });

  it.each([
    ['a string', 'My dog is called Rex.'],
    ['null', null],
    ['undefined', undefined],
  ])('should reject %s as the whole body with 400', (_label, body) => {
    expectBadRequest(body, null);
  });

  it('should name content when a single memory has none', () => {
    expectBadRequest({ role: 'user' }, 'content');
  });

  it('should name content when a single memory has empty content', () => {
    expectBadRequest({ content: '' }, 'content');
  });

  it('should name content when it is not a string', () => {
    expectBadRequest({ content: 42 }, 'content');
  });

  it('should name the item and content when a batch item has none', () => {
    const error = expectBadRequest([{ content: 'fine' }, { role: 'user' }], '[1].content');

    expect(error.body.message).toContain("'[1].content'");
  });

  it('should name the item and content when a batch item has empty content', () => {
    expectBadRequest([{ content: 'fine' }, { content: '' }], '[1].content');
  });

  it('should reject content longer than 32000 characters', () => {
    expect(parseNewMemories({ content: 'x'.repeat(32_000) })).toHaveLength(1);
    expectBadRequest({ content: 'x'.repeat(32_001) }, 'content');
  });

  it('should reject a role outside user, assistant and system', () => {
    expectBadRequest({ content: 'hello', role: 'tool' }, 'role');
    expectBadRequest([{ content: 'hello', role: 'robot' }], '[0].role');
  });

  it('should accept each known role', () => {
    expect(
      parseNewMemories([
        { content: 'a', role: 'user' },
        { content: 'b', role: 'assistant' },
        { content: 'c', role: 'system' },
      ]).map((memory) => memory.role),
    ).toEqual(['user', 'assistant', 'system']);
  });

  it.each([
    ['a string', 'note'],
    ['a number', 1],
    ['an array', ['a', 'b']],
    ['null', null],
  ])('should reject metadata that is %s', (_label, metadata) => {
    expectBadRequest({ content: 'hello', metadata }, 'metadata');
  });

  it.each(['role', 'created_at'])(
    'should reject %s: null rather than treat it as absent',
    (field) => {
      expectBadRequest({ content: 'hello', [field]: null }, field);
    },
  );

  it('should keep object metadata as it is', () => {
    const metadata = { tags: ['pets'], nested: { level: 2 } };

    expect(parseNewMemories({ content: 'hello', metadata })[0].metadata).toEqual(metadata);
  });

  it.each([
    ['2026-11-20T14:03:00Z', '2026-11-20T14:03:00.000Z'],
    ['2026-11-20T14:03:27.123Z', '2026-11-20T14:03:27.123Z'],
    ['2026-11-20T14:03:00+02:00', '2026-11-20T12:03:00.000Z'],
    ['2026-11-20T14:03-0530', '2026-11-20T19:33:00.000Z'],
  ])('should accept the ISO date-time %s with its zone', (createdAt, expected) => {
    const [memory] = parseNewMemories({ content: 'hello', created_at: createdAt });

    expect(memory.createdAt).toBeInstanceOf(Date);
    expect(memory.createdAt?.toISOString()).toBe(expected);
  });

  it('should read a number as unix seconds', () => {
    const [memory] = parseNewMemories({ content: 'hello', created_at: 1_763_647_380 });

    expect(memory.createdAt).toBeInstanceOf(Date);
    expect(memory.createdAt?.getTime()).toBe(1_763_647_380_000);
  });

  it('should keep the milliseconds of fractional unix seconds', () => {
    const [memory] = parseNewMemories({ content: 'hello', created_at: 1_763_647_380.25 });

    expect(memory.createdAt?.getTime()).toBe(1_763_647_380_250);
  });

  it('should accept 0 as the unix epoch', () => {
    expect(parseNewMemories({ content: 'hello', created_at: 0 })[0].createdAt?.getTime()).toBe(0);
  });

  it.each([
    ['a bare date', '2026-11-20'],
    ['a word', 'yesterday'],
    ['a local time without zone', '2026-11-20T14:03:00'],
    ['an impossible date', '2026-13-45T14:03:00Z'],
    ['unix seconds as a string', '1763647380'],
    ['negative unix seconds', -1],
    ['unix seconds past year 9999', 253_402_300_800],
    ['not a number', Number.NaN],
    ['a boolean', true],
  ])('should reject created_at that is %s', (_label, createdAt) => {
    expectBadRequest({ content: 'hello', created_at: createdAt }, 'created_at');
  });

  it('should name the item when a batch item has a bad created_at', () => {
    expectBadRequest(
      [{ content: 'fine' }, { content: 'fine too' }, { content: 'x', created_at: 'yesterday' }],
      '[2].created_at',
    );
  });
});

describe('toMemoryDto', () => {
  it('should map a stored memory to the API shape without a score', () => {
    const dto = toMemoryDto(record);

    expect(dto).toEqual({
      id: '0b6f4c1e-8a53-4c3e-9f0e-2d1f7f3f9a10',
      object: 'memory',
      namespace: 'user123',
      role: 'assistant',
      content: 'Your dog is called Rex.',
      model: 'gpt-4o-mini',
      request_id: 'req-42',
      metadata: { source: 'chat', turn: 3 },
      created_at: '2026-11-20T14:03:27.123Z',
    });
    expect(dto).not.toHaveProperty('score');
  });

  it('should keep null model and request id as null', () => {
    const dto = toMemoryDto({ ...record, model: null, requestId: null });

    expect(dto.model).toBeNull();
    expect(dto.request_id).toBeNull();
  });

  it('should add the score of a scored memory', () => {
    const scored: ScoredMemory = { ...record, score: 0.42 };

    expect(toMemoryDto(scored)).toEqual({ ...toMemoryDto(record), score: 0.42 });
  });

  it('should keep a score of 0', () => {
    const scored: ScoredMemory = { ...record, score: 0 };

    expect(toMemoryDto(scored)).toHaveProperty('score', 0);
  });
});

describe('toNamespaceDto', () => {
  it('should map a namespace with a summary', () => {
    expect(
      toNamespaceDto(
        'user123',
        { namespace: 'user123', count: 7, lastCreatedAt: new Date('2026-11-20T14:03:27.123Z') },
        true,
      ),
    ).toEqual({
      object: 'memory.namespace',
      namespace: 'user123',
      memory_count: 7,
      last_created_at: '2026-11-20T14:03:27.123Z',
      shared: true,
    });
  });

  it('should report zero memories and no date without a summary', () => {
    expect(toNamespaceDto('empty', undefined, false)).toEqual({
      object: 'memory.namespace',
      namespace: 'empty',
      memory_count: 0,
      last_created_at: null,
      shared: false,
    });
  });
});
