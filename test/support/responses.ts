import OpenAI from 'openai';

/** Rejects instead of letting a hung iteration run into the jest timeout. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

/** Every event of a raw `responses.create({stream: true})`, read with for await. */
export async function collectEvents(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) {
    events.push(event);
  }
  return events;
}

/**
 * The event-sequence rules the SDKs rely on: numbered from 0 without gaps, created first and one
 * terminal event last, text deltas inside an announced message with a content part, and every
 * item opened before and closed after its deltas.
 */
export function expectWellFormed(events: StreamEvent[]): void {
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  expect(events[0].type).toBe('response.created');
  expect(events[1].type).toBe('response.in_progress');
  const last = events[events.length - 1];
  expect(['response.completed', 'response.incomplete']).toContain(last.type);
  const open = new Set<string>();
  const parts = new Set<string>();
  for (const event of events) {
    if (event.type === 'response.output_item.added') {
      open.add(event.item.id!);
    } else if (event.type === 'response.content_part.added') {
      parts.add(event.item_id);
    } else if (event.type === 'response.output_text.delta') {
      expect(open.has(event.item_id)).toBe(true);
      expect(parts.has(event.item_id)).toBe(true);
    } else if (event.type === 'response.function_call_arguments.delta') {
      expect(open.has(event.item_id)).toBe(true);
    } else if (event.type === 'response.output_item.done') {
      expect(open.delete(event.item.id!)).toBe(true);
    }
  }
  expect(open.size).toBe(0);
}

/** The text of a stream's deltas, joined. */
export function deltaText(events: StreamEvent[]): string {
  return events
    .map((event) => (event.type === 'response.output_text.delta' ? event.delta : ''))
    .join('');
}

export const WEATHER_TOOL: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

export const PERSON_FORMAT: OpenAI.Responses.ResponseFormatTextJSONSchemaConfig = {
  type: 'json_schema',
  name: 'person',
  strict: true,
  schema: {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer' } },
    required: ['name', 'age'],
    additionalProperties: false,
  },
};
