import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { o200kTokenCounter } from '../model-selector/token-counter';
import { ChatMessage } from '../providers/chat.types';
import { CapturedAnswer } from './answer-capture';
import { memoryConfig } from './memory.config';
import {
  memoryMessage,
  newUserTurns,
  retrievalQuery,
  selectMemories,
  withMemoryMessage,
} from './memory-context';
import { MemoryStore, MemoryUnavailableError } from './memory-store.service';
import { MemoryWriter } from './memory-writer.service';
import { MemoryScope } from './namespace';

/** Ranked candidates fetched per request, before the relevance threshold and token budget. */
const CANDIDATES = 20;

export interface Recall {
  /** The request's messages with the memory message added, or the same array when none. */
  messages: ChatMessage[];
  injected: number;
  retrievalMs: number;
  available: boolean;
}

@Injectable()
export class MemoryService {
  private readonly logger = new Logger('Memory');
  readonly counts = { unavailableReads: 0 };

  constructor(
    private readonly store: MemoryStore,
    private readonly writer: MemoryWriter,
    @Inject(memoryConfig.KEY) private readonly config: ConfigType<typeof memoryConfig>,
  ) {}

  /**
   * Finds what the namespace remembers that bears on the conversation. Never fails: a store
   * that errs or is slower than MEMORY_RETRIEVAL_TIMEOUT_MS yields no memories.
   */
  async recall(scope: MemoryScope, messages: ChatMessage[]): Promise<Recall> {
    const started = performance.now();
    const done = (injected: ChatMessage[], count: number, available: boolean): Recall => ({
      messages: injected,
      injected: count,
      retrievalMs: Math.round((performance.now() - started) * 10) / 10,
      available,
    });
    const query = retrievalQuery(messages);
    if (query === '') {
      return done(messages, 0, true);
    }
    try {
      // Opening has its own bound (connect timeout; PGlite's start-up, once), so the first
      // request after boot waits for the store rather than going without memory.
      const repository = await this.store.repository();
      const ranked = await this.withTimeout(
        repository.search(scope.tenant, scope.namespace, query, {
          limit: CANDIDATES,
          minScore: this.config.minScore,
        }),
      );
      const chosen = selectMemories(ranked, messages, this.config.maxTokens, (text) =>
        o200kTokenCounter.count(text),
      );
      return chosen.length === 0
        ? done(messages, 0, true)
        : done(withMemoryMessage(messages, memoryMessage(chosen)), chosen.length, true);
    } catch (error) {
      this.counts.unavailableReads += 1;
      this.logger.warn(
        `memory retrieval failed, serving without memory: ${(error as Error).message}`,
      );
      return done(messages, 0, false);
    }
  }

  /** Queues the request's new user turns and the answer; returns at once. */
  remember(
    scope: MemoryScope,
    messages: readonly ChatMessage[],
    answer: CapturedAnswer,
    context: { requestId?: string; startedAt: Date },
  ): void {
    const model = answer.model || undefined;
    const turns = newUserTurns(messages).map((content) => ({
      content,
      role: 'user',
      model,
      requestId: context.requestId,
      createdAt: context.startedAt,
    }));
    if (answer.content.trim() !== '') {
      turns.push({
        content: answer.content,
        role: 'assistant',
        model,
        requestId: context.requestId,
        createdAt: new Date(),
      });
    }
    this.writer.enqueue(scope, turns, context.requestId);
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new MemoryUnavailableError(
              `no answer within MEMORY_RETRIEVAL_TIMEOUT_MS (${this.config.retrievalTimeoutMs} ms)`,
            ),
          ),
        this.config.retrievalTimeoutMs,
      );
    });
    // The late answer, if any, is dropped; its rejection must not go unhandled.
    work.catch(() => undefined);
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}
