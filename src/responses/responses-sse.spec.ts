import { ProviderException } from '../common/errors/provider.exception';
import { ResponseStreamEvent } from '../providers/responses.types';
import { toResponseSseFrames } from './responses-sse';

async function frames(events: AsyncIterable<ResponseStreamEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of toResponseSseFrames(events)) {
    out.push(frame);
  }
  return out;
}

async function* upstream(events: ResponseStreamEvent[], failure?: Error) {
  for (const event of events) {
    yield await Promise.resolve(event);
  }
  if (failure) {
    throw failure;
  }
}

const created: ResponseStreamEvent = {
  type: 'response.created',
  sequence_number: 0,
  response: {
    id: 'resp_1',
    object: 'response',
    created_at: 1,
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    model: 'm',
    output: [],
    usage: null,
  },
};

describe('toResponseSseFrames', () => {
  it('should name each event as its type and end without [DONE]', async () => {
    const completed = { ...created.response!, status: 'completed' as const };
    const out = await frames(
      upstream([created, { type: 'response.completed', sequence_number: 1, response: completed }]),
    );
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(`event: response.created\ndata: ${JSON.stringify(created)}\n\n`);
    expect(out.join('')).not.toContain('[DONE]');
  });

  it('should turn a failure after the first event into error and response.failed, numbered on', async () => {
    const out = await frames(
      upstream([created], ProviderException.unreachable('openai', 'socket hang up')),
    );
    expect(out).toHaveLength(3);
    const error = JSON.parse(out[1].split('data: ')[1]) as Record<string, unknown>;
    expect(out[1].startsWith('event: error\n')).toBe(true);
    expect(error).toMatchObject({
      type: 'error',
      sequence_number: 1,
      code: 'upstream_unreachable',
    });
    const failed = JSON.parse(out[2].split('data: ')[1]) as ResponseStreamEvent;
    expect(failed).toMatchObject({
      type: 'response.failed',
      sequence_number: 2,
      response: { id: 'resp_1', status: 'failed', error: { code: 'upstream_unreachable' } },
    });
  });
});
