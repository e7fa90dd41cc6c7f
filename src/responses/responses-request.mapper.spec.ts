import { GatewayException } from '../common/errors/gateway.exception';
import { toChatRequest } from './responses-request.mapper';

const WEATHER = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  strict: true,
};

function refusal(run: () => unknown): { param: string | null; code: string | null } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayException);
    const body = (error as GatewayException).body;
    expect((error as GatewayException).getStatus()).toBe(400);
    return { param: body.param, code: body.code };
  }
  throw new Error('expected a 400');
}

describe('toChatRequest (Responses → Chat Completions)', () => {
  it('should turn instructions and a string input into a system and a user message', () => {
    expect(
      toChatRequest({ model: 'gpt-4o-mini', instructions: 'Be brief.', input: 'Hi' }, true),
    ).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('should map sampling, limits, user and parallel_tool_calls; keep metadata and store home', () => {
    const chat = toChatRequest(
      {
        input: 'Hi',
        max_output_tokens: 100,
        temperature: 0.2,
        top_p: 0.9,
        user: 'u1',
        parallel_tool_calls: false,
        metadata: { a: 'b' },
        store: false,
        previous_response_id: 'resp_1',
        stream: true,
      },
      true,
    );
    expect(chat).toEqual({
      model: 'auto',
      messages: [{ role: 'user', content: 'Hi' }],
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u1',
      parallel_tool_calls: false,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('should map content parts: text joined, images as image_url, developer as system', () => {
    const chat = toChatRequest(
      {
        input: [
          { role: 'developer', content: [{ type: 'input_text', text: 'Rules.' }] },
          {
            type: 'message',
            role: 'user',
            content: [
              { type: 'input_text', text: 'What is this?' },
              { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'a' },
              { type: 'input_text', text: 'b' },
            ],
          },
        ],
      },
      true,
    );
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Rules.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
      { role: 'user', content: 'ab' },
    ]);
  });

  it('should merge assistant text and the calls after it into one turn, then tool results', () => {
    const chat = toChatRequest(
      {
        input: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            type: 'message',
            role: 'assistant',
            id: 'msg_1',
            content: [{ type: 'output_text', text: 'Checking.', annotations: [] }],
          },
          {
            type: 'function_call',
            id: 'fc_1',
            call_id: 'call_1',
            name: 'get_weather',
            arguments: '{"city":"Paris"}',
          },
          {
            type: 'function_call',
            id: 'fc_2',
            call_id: 'call_2',
            name: 'get_weather',
            arguments: '{"city":"Rome"}',
          },
          { type: 'function_call_output', call_id: 'call_1', output: '18 C' },
          {
            type: 'function_call_output',
            call_id: 'call_2',
            output: [{ type: 'input_text', text: '21 C' }],
          },
          { type: 'reasoning', id: 'rs_1', summary: [] },
        ],
      },
      true,
    );
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          {
            id: 'call_2',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18 C' },
      { role: 'tool', tool_call_id: 'call_2', content: '21 C' },
    ]);
  });

  it('should nest flat function tools, tool_choice and json_schema the way Chat wants them', () => {
    const chat = toChatRequest(
      {
        input: 'Hi',
        tools: [WEATHER],
        tool_choice: { type: 'function', name: 'get_weather' },
        text: {
          format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
        },
      },
      true,
    );
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather',
          parameters: WEATHER.parameters,
          strict: true,
        },
      },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(chat.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'out', schema: { type: 'object' }, strict: true },
    });
    expect(
      toChatRequest({ input: 'Hi', text: { format: { type: 'json_object' } } }, true)
        .response_format,
    ).toEqual({ type: 'json_object' });
    expect(
      toChatRequest(
        { input: 'Hi', text: { format: { type: 'text' } }, tool_choice: 'required' },
        true,
      ),
    ).toEqual({
      model: 'auto',
      messages: [{ role: 'user', content: 'Hi' }],
      tool_choice: 'required',
    });
  });

  it('should refuse, when strict, what Chat cannot express, naming the parameter', () => {
    expect(
      refusal(() => toChatRequest({ input: 'Hi', tools: [WEATHER, { type: 'web_search' }] }, true)),
    ).toEqual({
      param: 'tools[1].type',
      code: 'unsupported_parameter',
    });
    expect(
      refusal(() => toChatRequest({ input: 'Hi', tool_choice: { type: 'file_search' } }, true))
        .param,
    ).toBe('tool_choice');
    expect(
      refusal(() =>
        toChatRequest({ input: [{ type: 'computer_call_output', call_id: 'c' }] }, true),
      ).param,
    ).toBe('input[0].type');
    expect(
      refusal(() => toChatRequest({ input: [{ type: 'item_reference', id: 'msg_x' }] }, true)),
    ).toEqual({
      param: 'input[0]',
      code: 'item_not_found',
    });
    expect(
      refusal(() =>
        toChatRequest(
          { input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] },
          true,
        ),
      ).param,
    ).toBe('input[0].content[0]');
  });

  it('should skip, when not strict, what it cannot map (planning and estimates only)', () => {
    const chat = toChatRequest(
      {
        input: [
          { type: 'item_reference', id: 'msg_x' },
          { role: 'user', content: 'Hi' },
        ],
        tools: [{ type: 'web_search' }],
      },
      false,
    );
    expect(chat).toEqual({ model: 'auto', messages: [{ role: 'user', content: 'Hi' }] });
  });
});
