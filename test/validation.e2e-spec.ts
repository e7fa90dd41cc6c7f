import { authHeaders, chatBody, postChat, startGateway, TestGateway } from './support/gateway';
import { readJson } from './support/json';

describe('request validation and error envelope', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({ BODY_LIMIT: '2kb' });
  });
  afterAll(() => gateway.close());

  const invalid: Array<[string, unknown, string]> = [
    ['no messages', { model: 'gpt-4o-mini' }, 'messages'],
    ['empty messages', chatBody({ messages: [] }), 'messages'],
    ['messages not an array', chatBody({ messages: 'hi' }), 'messages'],
    [
      'unknown role',
      chatBody({ messages: [{ role: 'robot', content: 'hi' }] }),
      'messages[0].role',
    ],
    [
      'content of the wrong type',
      chatBody({ messages: [{ role: 'user', content: 42 }] }),
      'messages[0].content',
    ],
    [
      'bad content part',
      chatBody({ messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }),
      'messages[0].content',
    ],
    [
      'tool message without tool_call_id',
      chatBody({ messages: [{ role: 'tool', content: 'x' }] }),
      'messages[0].tool_call_id',
    ],
    ['temperature above 2', chatBody({ temperature: 2.5 }), 'temperature'],
    ['temperature as a string', chatBody({ temperature: 'hot' }), 'temperature'],
    ['top_p above 1', chatBody({ top_p: 1.1 }), 'top_p'],
    ['n of 0', chatBody({ n: 0 }), 'n'],
    ['presence_penalty below -2', chatBody({ presence_penalty: -3 }), 'presence_penalty'],
    ['frequency_penalty above 2', chatBody({ frequency_penalty: 2.1 }), 'frequency_penalty'],
    ['max_tokens of 0', chatBody({ max_tokens: 0 }), 'max_tokens'],
    [
      'max_completion_tokens fractional',
      chatBody({ max_completion_tokens: 1.5 }),
      'max_completion_tokens',
    ],
    ['five stop sequences', chatBody({ stop: ['a', 'b', 'c', 'd', 'e'] }), 'stop'],
    ['stream as a string', chatBody({ stream: 'yes' }), 'stream'],
    ['model as a number', chatBody({ model: 4 }), 'model'],
  ];

  it.each(invalid)('should answer 400 naming the field for %s', async (_case, body, param) => {
    const response = await postChat(gateway, body);
    expect(response.status).toBe(400);
    const payload = await readJson(response);
    expect(payload).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param,
        code: 'invalid_value',
      },
    });
  });

  it('should accept null for nullable sampling fields', async () => {
    const response = await postChat(
      gateway,
      chatBody({ temperature: null, top_p: null, stop: null, max_tokens: null }),
    );
    expect(response.status).toBe(200);
  });

  it('should accept an assistant message with tool_calls and null content', async () => {
    const messages = [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    ];
    const response = await postChat(gateway, chatBody({ messages }));
    expect(response.status).toBe(200);
  });

  it('should answer malformed JSON with 400 invalid_request_error', async () => {
    const response = await postChat(gateway, '{"model": "gpt-4o-mini", "messages": [');
    expect(response.status).toBe(400);
    expect((await readJson(response)).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_json',
    });
  });

  it('should answer a body over BODY_LIMIT with 413', async () => {
    const response = await postChat(
      gateway,
      chatBody({ messages: [{ role: 'user', content: 'x'.repeat(4096) }] }),
    );
    expect(response.status).toBe(413);
    expect((await readJson(response)).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
  });

  it('should answer an unknown route with a 404 envelope', async () => {
    const response = await fetch(`${gateway.url}/v1/not-a-route`, { headers: authHeaders() });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await readJson(response)).toEqual({
      error: {
        message: 'Invalid URL (GET /v1/not-a-route)',
        type: 'invalid_request_error',
        param: null,
        code: 'not_found',
      },
    });
  });

  it('should answer a JSON array body with 400, not 500', async () => {
    const response = await postChat(gateway, '[1,2,3]');
    expect(response.status).toBe(400);
    expect((await readJson(response)).error.type).toBe('invalid_request_error');
  });

  it('should never call the upstream for an invalid request', async () => {
    gateway.upstream.reset();
    await postChat(gateway, chatBody({ temperature: 9 }));
    expect(gateway.upstream.chatRequests()).toHaveLength(0);
  });
});
