import { ChatCompletion } from '../providers/chat.types';
import {
  outputTextOf,
  toChatUsage,
  toResponse,
  toResponseUsage,
} from './responses-response.mapper';

const META = {
  id: 'resp_test',
  createdAt: 1700000000,
  request: { model: 'auto', input: 'Hi', instructions: 'Be brief.', metadata: { a: 'b' } },
};

function completion(message: Record<string, unknown>, finish_reason = 'stop'): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      { index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason },
    ],
    usage: {
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
    },
  };
}

describe('toResponse (Chat Completions → Responses)', () => {
  it('should make a message item with output_text, usage and the echoed request', () => {
    const response = toResponse(completion({ content: 'Hello!' }), META);
    expect(response).toMatchObject({
      id: 'resp_test',
      object: 'response',
      created_at: 1700000000,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-4o-mini-2024-07-18',
      instructions: 'Be brief.',
      metadata: { a: 'b' },
      store: true,
      tools: [],
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 15,
      },
    });
    expect(response.output).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_[0-9a-f]{48}$/),
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello!', annotations: [], logprobs: [] }],
      },
    ]);
    expect(outputTextOf(response)).toBe('Hello!');
  });

  it('should make a function_call item per tool call, with its own fc_ id and the call_id', () => {
    const response = toResponse(
      completion(
        {
          content: 'Checking.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'a', arguments: '{}' } },
            { id: 'call_2', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
          ],
        },
        'tool_calls',
      ),
      META,
    );
    expect(response.status).toBe('completed');
    expect(response.output.map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'function_call',
    ]);
    expect(response.output[2]).toEqual({
      type: 'function_call',
      id: expect.stringMatching(/^fc_/),
      call_id: 'call_2',
      name: 'b',
      arguments: '{"x":1}',
      status: 'completed',
    });
  });

  it('should say why a response is incomplete', () => {
    expect(toResponse(completion({ content: 'Hel' }, 'length'), META)).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect(toResponse(completion({ content: '' }, 'content_filter'), META)).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
  });

  it('should carry a refusal as a refusal part', () => {
    const response = toResponse(completion({ refusal: 'I cannot help with that.' }), META);
    expect(response.output[0].content).toEqual([
      { type: 'refusal', refusal: 'I cannot help with that.' },
    ]);
  });
});

describe('usage mapping', () => {
  it('should map both ways and keep null as null', () => {
    const usage = toResponseUsage({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(usage).toEqual({
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 5,
    });
    expect(toChatUsage(usage)).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(toResponseUsage(undefined)).toBeNull();
    expect(toChatUsage(null)).toBeUndefined();
  });
});
