import { GatewayException } from '../common/errors/gateway.exception';
import { ResponseObject } from '../providers/responses.types';
import { ResponseStore } from './response-store';

function response(id: string, text: string): ResponseObject {
  return {
    id,
    object: 'response',
    created_at: 1,
    status: 'completed',
    error: null,
    incomplete_details: null,
    model: 'm',
    output: [
      {
        type: 'message',
        id: `msg_${id}`,
        role: 'assistant',
        content: [{ type: 'output_text', text }],
      },
    ],
    usage: null,
  };
}

const config = { maxEntries: 100, maxBytes: 1024 * 1024, ttlMs: 60_000 };

describe('ResponseStore', () => {
  it('should rebuild a chain oldest first, inputs before outputs', () => {
    const store = new ResponseStore(config);
    store.save({
      owner: 'k1',
      response: response('r1', 'A1'),
      input: [{ role: 'user', content: 'Q1' }],
      previousId: null,
    });
    store.save({
      owner: 'k1',
      response: response('r2', 'A2'),
      input: [{ role: 'user', content: 'Q2' }],
      previousId: 'r1',
    });
    expect(store.history('r2', 'k1').map((item) => item.content ?? item.id)).toEqual([
      'Q1',
      [{ type: 'output_text', text: 'A1' }],
      'Q2',
      [{ type: 'output_text', text: 'A2' }],
    ]);
  });

  it("should never show one key's responses to another", () => {
    const store = new ResponseStore(config);
    store.save({ owner: 'k1', response: response('r1', 'A1'), input: [], previousId: null });
    expect(store.get('r1', 'k1')?.response.id).toBe('r1');
    expect(store.get('r1', 'k2')).toBeUndefined();
    expect(store.delete('r1', 'k2')).toBe(false);
    expect(() => store.history('r1', 'k2')).toThrow(GatewayException);
    expect(store.resolveReferences([{ type: 'item_reference', id: 'msg_r1' }], 'k2')).toEqual([
      { type: 'item_reference', id: 'msg_r1' },
    ]);
    expect(store.resolveReferences([{ id: 'msg_r1' }], 'k1')[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
    });
    expect(store.delete('r1', 'k1')).toBe(true);
    expect(store.get('r1', 'k1')).toBeUndefined();
  });

  it('should name the missing link of a broken chain', () => {
    const store = new ResponseStore(config);
    store.save({ owner: 'k1', response: response('r2', 'A2'), input: [], previousId: 'gone' });
    try {
      store.history('r2', 'k1');
      throw new Error('expected a 400');
    } catch (error) {
      expect((error as GatewayException).body).toMatchObject({
        param: 'previous_response_id',
        code: 'previous_response_not_found',
        message: "Previous response with id 'gone' not found.",
      });
    }
  });

  it('should stay within its entry bound and keep nothing when set to 0', () => {
    const small = new ResponseStore({ ...config, maxEntries: 2 });
    for (const id of ['r1', 'r2', 'r3']) {
      small.save({ owner: 'k', response: response(id, id), input: [], previousId: null });
    }
    expect(small.get('r1', 'k')).toBeUndefined();
    expect(small.get('r3', 'k')).toBeDefined();
    const off = new ResponseStore({ ...config, maxEntries: 0 });
    off.save({ owner: 'k', response: response('r1', 'x'), input: [], previousId: null });
    expect(off.enabled).toBe(false);
    expect(off.get('r1', 'k')).toBeUndefined();
  });
});
