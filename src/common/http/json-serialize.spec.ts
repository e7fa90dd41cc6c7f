import { serializeBody, SerializedBody, serializedBodyHeaders } from './json-serialize';

const text = (body: SerializedBody) =>
  typeof body === 'string' ? body : Buffer.concat(body).toString('utf8');

describe('serializeBody', () => {
  const messages = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ role: 'user', content: `é中 "${index}"` }));

  it.each<[string, object]>([
    ['a small body', { model: 'm', messages: messages(3), temperature: 1 }],
    ['a long array among other fields', { model: 'm', messages: messages(1000), n: 1 }],
    ['two long arrays and nothing else', { messages: messages(257), tools: messages(600) }],
    ['long arrays with holes and undefined', { a: [...messages(300), undefined], b: undefined }],
    ['an array body', messages(600)],
  ])('should give %s the same JSON value as JSON.stringify', async (_, body) => {
    expect(JSON.parse(text(await serializeBody(body)))).toEqual(JSON.parse(JSON.stringify(body)));
  });

  it('should give a small body as the very string JSON.stringify gives, and no headers', async () => {
    const body = { model: 'm', messages: messages(3), stream: false };
    const serialized = await serializeBody(body);
    expect(serialized).toBe(JSON.stringify(body));
    expect(serializedBodyHeaders(serialized)).toEqual({});
  });

  it('should give a large body in parts with their length in bytes', async () => {
    const serialized = await serializeBody({ model: 'm', messages: messages(2048) });
    expect(Array.isArray(serialized)).toBe(true);
    expect(serializedBodyHeaders(serialized)).toEqual({
      'content-length': String(Buffer.byteLength(text(serialized))),
    });
  });

  it('should let the event loop run while it serialises a long array', async () => {
    const pending = serializeBody({ model: 'm', messages: messages(2048) });
    let ran = false;
    setImmediate(() => (ran = true));
    await pending;
    expect(ran).toBe(true);
  });
});
