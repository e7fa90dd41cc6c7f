import { ChatCompletionChunk } from '../providers/chat.types';
import {
  ResponseItem,
  ResponseObject,
  ResponseStreamEvent,
  ResponseUsage,
} from '../providers/responses.types';
import {
  finishStatus,
  functionCallItem,
  messageItem,
  mintId,
  ResponseMeta,
  responseObject,
  toResponseUsage,
} from './responses-response.mapper';

interface OpenItem {
  outputIndex: number;
  item: ResponseItem;
  kind: 'message' | 'function_call';
  text: string;
}

interface ToolCallDelta {
  index: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

const ZERO_USAGE: ResponseUsage = {
  input_tokens: 0,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 0,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 0,
};

/**
 * Chat Completions chunks → the Responses event sequence, one item at a time: created,
 * in_progress, then per item added → (content_part.added) → deltas → done events, and one
 * terminal event whose `output` lists every item. A new item opens only after the one before
 * it is closed, so `output_index` is dense and never interleaved (what openai-node checks).
 */
export class ResponseEventBuilder {
  private sequence = 0;
  private readonly output: ResponseItem[] = [];
  private open?: OpenItem;
  private readonly calls = new Map<number, OpenItem>();
  private usage: ResponseUsage | null = null;
  private finishReason: string | null = null;
  private model = '';

  constructor(private readonly meta: ResponseMeta) {}

  start(model: string): ResponseStreamEvent[] {
    this.model = model;
    const snapshot = this.snapshot('in_progress');
    return [
      this.event('response.created', { response: snapshot }),
      this.event('response.in_progress', { response: snapshot }),
    ];
  }

  chunk(chunk: ChatCompletionChunk): ResponseStreamEvent[] {
    const events: ResponseStreamEvent[] = [];
    this.model = chunk.model || this.model;
    if (chunk.usage) {
      this.usage = toResponseUsage(chunk.usage);
    }
    const choice = chunk.choices?.find((candidate) => candidate.index === 0);
    if (!choice) {
      return events;
    }
    const delta = choice.delta ?? {};
    const text = [delta.content, delta.refusal].find((t) => typeof t === 'string' && t !== '');
    if (typeof text === 'string') {
      if (this.open?.kind !== 'message') {
        this.closeOpen(events);
        this.openMessage(events);
      }
      this.open!.text += text;
      events.push(
        this.event('response.output_text.delta', {
          ...this.at(this.open!),
          delta: text,
          logprobs: [],
        }),
      );
    }
    for (const call of (delta.tool_calls ?? []) as ToolCallDelta[]) {
      this.toolCallDelta(call, events);
    }
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
    }
    return events;
  }

  /** Closes what is open and ends with `response.completed` (or `.incomplete`). */
  finish(): ResponseStreamEvent[] {
    const events: ResponseStreamEvent[] = [];
    this.closeOpen(events);
    const { status, incomplete_details } = finishStatus(this.finishReason);
    const response = responseObject(this.meta, {
      model: this.model,
      status,
      incomplete_details,
      output: this.output,
      usage: this.usage ?? ZERO_USAGE,
    });
    events.push(this.event(`response.${status}`, { response }));
    return events;
  }

  private toolCallDelta(call: ToolCallDelta, events: ResponseStreamEvent[]) {
    let open = this.calls.get(call.index);
    if (!open) {
      this.closeOpen(events);
      const item = functionCallItem(
        mintId('fc'),
        call.id ?? `call_${mintId('fc').slice(3, 27)}`,
        call.function?.name ?? '',
      );
      open = this.openItem('function_call', { ...item, status: 'in_progress' });
      this.calls.set(call.index, open);
      events.push(this.addedEvent(open));
    }
    const args = call.function?.arguments;
    if (typeof args === 'string' && args !== '') {
      open.text += args;
      // A call whose items were closed already (an upstream interleaving calls) only gathers
      // its arguments: they reach the client in the terminal event.
      if (open === this.open) {
        events.push(
          this.event('response.function_call_arguments.delta', { ...this.at(open), delta: args }),
        );
      } else {
        this.output[open.outputIndex] = { ...open.item, arguments: open.text, status: 'completed' };
      }
    }
  }

  private openMessage(events: ResponseStreamEvent[]) {
    const item = { ...messageItem(mintId('msg'), ''), status: 'in_progress', content: [] };
    const open = this.openItem('message', item);
    events.push(
      this.addedEvent(open),
      this.event('response.content_part.added', {
        ...this.at(open),
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
      }),
    );
  }

  private openItem(kind: OpenItem['kind'], item: ResponseItem): OpenItem {
    const open: OpenItem = { outputIndex: this.output.length, item, kind, text: '' };
    this.output.push(item);
    this.open = open;
    return open;
  }

  private closeOpen(events: ResponseStreamEvent[]) {
    const open = this.open;
    if (!open) {
      return;
    }
    this.open = undefined;
    let done: ResponseItem;
    if (open.kind === 'message') {
      done = messageItem(String(open.item.id), open.text);
      const part = (done.content as ResponseItem[])[0];
      events.push(
        this.event('response.output_text.done', {
          ...this.at(open),
          text: open.text,
          logprobs: [],
        }),
        this.event('response.content_part.done', { ...this.at(open), part }),
      );
    } else {
      done = { ...open.item, arguments: open.text, status: 'completed' };
      events.push(
        this.event('response.function_call_arguments.done', {
          ...this.at(open),
          name: open.item.name,
          arguments: open.text,
        }),
      );
    }
    this.output[open.outputIndex] = done;
    events.push(
      this.event('response.output_item.done', { output_index: open.outputIndex, item: done }),
    );
  }

  private addedEvent(open: OpenItem): ResponseStreamEvent {
    return this.event('response.output_item.added', {
      output_index: open.outputIndex,
      item: open.item,
    });
  }

  private at(open: OpenItem) {
    return open.kind === 'message'
      ? { item_id: open.item.id, output_index: open.outputIndex, content_index: 0 }
      : { item_id: open.item.id, output_index: open.outputIndex };
  }

  private snapshot(status: ResponseObject['status']): ResponseObject {
    return responseObject(this.meta, {
      model: this.model,
      status,
      incomplete_details: null,
      output: [],
      usage: null,
    });
  }

  private event(type: string, fields: Record<string, unknown>): ResponseStreamEvent {
    return { type, sequence_number: this.sequence++, ...fields };
  }
}
