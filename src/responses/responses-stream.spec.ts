import { ChatCompletionChunk } from '../providers/chat.types';
import { ResponseStreamEvent } from '../providers/responses.types';
import { ResponseEventBuilder } from './responses-stream';

const META = { id: 'resp_s', createdAt: 1, request: { model: 'gpt-4o-mini', input: 'Hi' } };

function chunk(
  delta: Record<string, unknown>,
  finish_reason: string | null = null,
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason }],
  };
}

const USAGE: ChatCompletionChunk = {
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [],
  usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
};

function run(chunks: ChatCompletionChunk[]): ResponseStreamEvent[] {
  const builder = new ResponseEventBuilder(META);
  return [
    ...builder.start('gpt-4o-mini'),
    ...chunks.flatMap((c) => builder.chunk(c)),
    ...builder.finish(),
  ];
}

describe('ResponseEventBuilder (Chat chunks → Responses events)', () => {
  it('should emit the documented sequence for a text answer, numbered from 0', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      chunk({}, 'stop'),
      USAGE,
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0].response).toMatchObject({
      id: 'resp_s',
      status: 'in_progress',
      output: [],
      usage: null,
    });
    const itemId = (events[2].item as { id: string }).id;
    expect(itemId).toMatch(/^msg_/);
    expect(events[4]).toMatchObject({
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta: 'Hel',
    });
    expect(events[6]).toMatchObject({ text: 'Hello' });
    const completed = events[9].response!;
    expect(completed.status).toBe('completed');
    expect(completed.output).toEqual([
      {
        type: 'message',
        id: itemId,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello', annotations: [], logprobs: [] }],
      },
    ]);
    expect(completed.usage).toMatchObject({ input_tokens: 7, output_tokens: 3, total_tokens: 10 });
  });

  it('should close the message before a call opens, and list every item at the end', () => {
    const events = run([
      chunk({ content: 'Let me check.' }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({
        tool_calls: [
          {
            index: 1,
            id: 'call_2',
            type: 'function',
            function: { name: 'get_time', arguments: '{}' },
          },
        ],
      }),
      chunk({}, 'tool_calls'),
      USAGE,
    ]);
    const types = events.map((e) => e.type);
    expect(types.slice(2)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const added = events.filter((e) => e.type === 'response.output_item.added');
    expect(added.map((e) => e.output_index)).toEqual([0, 1, 2]);
    expect(added[1].item).toMatchObject({
      type: 'function_call',
      call_id: 'call_1',
      name: 'get_weather',
      arguments: '',
      status: 'in_progress',
    });
    const argsDone = events.find((e) => e.type === 'response.function_call_arguments.done');
    expect(argsDone).toMatchObject({
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
      output_index: 1,
    });
    const completed = events[events.length - 1].response!;
    expect(completed.output.map((item) => [item.type, item.call_id, item.arguments])).toEqual([
      ['message', undefined, undefined],
      ['function_call', 'call_1', '{"city":"Paris"}'],
      ['function_call', 'call_2', '{}'],
    ]);
  });

  it('should end incomplete, with the reason, when the upstream stopped at the length limit', () => {
    const events = run([chunk({ content: 'Hel' }, 'length')]);
    expect(events[events.length - 1]).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('should give numbers for usage even when the upstream sent none', () => {
    const events = run([chunk({ content: 'Hi' }, 'stop')]);
    expect(events[events.length - 1].response!.usage).toMatchObject({
      input_tokens: 0,
      output_tokens: 0,
    });
  });
});
