import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';

import { ResponseItem, ResponseObject } from '../providers/responses.types';
import { previousResponseNotFound } from './responses-request.rules';
import { responsesConfig } from './responses.config';

/** One stored turn: what it was asked (instructions aside) and what it answered. */
export interface StoredResponse {
  /** The API key that created it; nobody else may read or chain it. */
  owner: string;
  response: ResponseObject;
  input: ResponseItem[];
  previousId: string | null;
}

/** A chain longer than this is refused rather than walked (it would not fit a context anyway). */
const MAX_CHAIN = 1_000;

/**
 * Stored responses, for `previous_response_id`, `item_reference` and `GET /v1/responses/{id}`.
 * In process and bounded (RESPONSES_STORE_MAX_ENTRIES, RESPONSES_STORE_MAX_MB, least recently
 * used first, RESPONSES_STORE_TTL_SECONDS): with several replicas, chained calls need the same
 * replica (sticky sessions) or clients that send the whole conversation (`store: false`).
 */
@Injectable()
export class ResponseStore {
  private readonly entries?: LRUCache<string, StoredResponse>;
  /** Item id → the response holding it, for `item_reference`. */
  private readonly items?: LRUCache<string, string>;

  constructor(@Inject(responsesConfig.KEY) config: ConfigType<typeof responsesConfig>) {
    if (config.maxEntries === 0) {
      return;
    }
    this.entries = new LRUCache<string, StoredResponse>({
      max: config.maxEntries,
      maxSize: config.maxBytes,
      // Characters of the JSON, a fair proxy for the bytes the objects hold.
      sizeCalculation: (entry) =>
        Math.max(1, JSON.stringify(entry.response).length + JSON.stringify(entry.input).length),
      ttl: config.ttlMs,
      updateAgeOnGet: false,
    });
    this.items = new LRUCache<string, string>({ max: config.maxEntries * 8, ttl: config.ttlMs });
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  save(entry: StoredResponse): void {
    if (!this.entries || !this.items) {
      return;
    }
    this.entries.set(entry.response.id, entry);
    for (const item of [...entry.input, ...entry.response.output]) {
      if (typeof item.id === 'string') {
        this.items.set(item.id, entry.response.id);
      }
    }
  }

  get(id: string, owner: string): StoredResponse | undefined {
    const entry = this.entries?.get(id);
    return entry?.owner === owner ? entry : undefined;
  }

  delete(id: string, owner: string): boolean {
    return this.get(id, owner) !== undefined && this.entries!.delete(id);
  }

  /**
   * The conversation before a new turn: each ancestor's input then its output, oldest first
   * (instructions are not inherited, as at OpenAI). Unknown, expired or someone else's: 400.
   */
  history(previousId: string, owner: string): ResponseItem[] {
    const chain: StoredResponse[] = [];
    let id: string | null = previousId;
    while (id !== null && chain.length < MAX_CHAIN) {
      const entry = this.get(id, owner);
      if (!entry) {
        throw previousResponseNotFound(id);
      }
      chain.unshift(entry);
      id = entry.previousId;
    }
    return chain.flatMap((entry) => [...entry.input, ...entry.response.output]);
  }

  /** `item_reference` items replaced by the stored items they name; unknown ones stay as they are. */
  resolveReferences(items: ResponseItem[], owner: string): ResponseItem[] {
    return items.map((item) => {
      if (!isReference(item)) {
        return item;
      }
      const responseId = this.items?.get(String(item.id));
      const entry = responseId === undefined ? undefined : this.get(responseId, owner);
      const found =
        entry && [...entry.input, ...entry.response.output].find((i) => i.id === item.id);
      return found ?? item;
    });
  }
}

/** `{type: "item_reference", id}`, or the short form: an item with nothing but an id. */
export function isReference(item: ResponseItem): boolean {
  return (
    item.type === 'item_reference' ||
    (item.type === undefined && typeof item.id === 'string' && Object.keys(item).length === 1)
  );
}
