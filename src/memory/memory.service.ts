import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { MetricsService } from '../metrics/metrics.service';
import { o200kTokenCounter } from '../tokens/token-counter';
import { ChatMessage } from '../providers/chat.types';
import { CapturedAnswer } from './answer-capture';
import { memoryConfig } from './memory.config';
import {
  memoryMessage,
  newUserTurns,
  retrievalQuery,
  selectMemories,
  turnBeforeNewUserTurns,
  withMemoryMessage,
} from './memory-context';
import { MemoryEmbedder } from './memory-embedder.service';
import { storableText, storableTurn } from './memory-input';
import { MemoryStore, MemoryUnavailableError } from './memory-store.service';
import { NewMemory, ScoredMemory } from './memory.types';
import { MemoryWriter } from './memory-writer.service';
import { MemoryScope } from './namespace';

// The end of an unstored turn before is enough to find the answer it led to.
const NEIGHBOUR_CHARS = 500;
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
    private readonly embedder: MemoryEmbedder,
    @Inject(memoryConfig.KEY) private readonly config: ConfigType<typeof memoryConfig>,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Finds what the namespace remembers that bears on the conversation. Never fails: a store
   * that errs or is slower than MEMORY_RETRIEVAL_TIMEOUT_MS yields no memories.
   */
  async recall(scope: MemoryScope, messages: ChatMessage[]): Promise<Recall> {
    const started = performance.now();
    const done = (injected: ChatMessage[], count: number, available: boolean): Recall => {
      const retrievalMs = performance.now() - started;
      this.metrics.memoryRecalled(retrievalMs, count);
      return {
        messages: injected,
        injected: count,
        retrievalMs: Math.round(retrievalMs * 10) / 10,
        available,
      };
    };
    const query = storableText(retrievalQuery(messages));
    if (query === '') {
      return done(messages, 0, true);
    }
    try {
      const ranked = await this.search(scope, query, { limit: CANDIDATES });
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

  /**
   * The relevance search behind both injection and the API's `?q=`: full text, fused with
   * vector similarity when embeddings are on (text only if the embedding call fails). Opening
   * the store has its own bound (connect timeout), so the first
   * request after boot waits for it; the search itself gets MEMORY_RETRIEVAL_TIMEOUT_MS.
   */
  async search(
    scope: MemoryScope,
    query: string,
    options: { limit?: number } = {},
  ): Promise<ScoredMemory[]> {
    const repository = await this.store.repository();
    return this.withTimeout(
      (async () => {
        const embedding = await this.queryEmbedding(query);
        return repository.search(scope.tenant, scope.namespace, query, {
          limit: options.limit,
          minScore: this.config.minScore,
          embedding,
          minSimilarity: this.config.minSimilarity,
        });
      })(),
    );
  }

  /** Queues the request's new user turns and the answer; returns at once. */
  remember(
    scope: MemoryScope,
    messages: readonly ChatMessage[],
    answer: CapturedAnswer,
    context: { requestId?: string; startedAt: Date },
  ): void {
    const model = answer.model || undefined;
    const turn = (content: string, role: string, createdAt: Date) => ({
      ...storableTurn(content),
      role,
      model,
      requestId: context.requestId,
      createdAt,
      conversation: true,
    });
    const turns = newUserTurns(messages).map((content) => turn(content, 'user', context.startedAt));
    if (answer.content.trim() !== '') {
      turns.push(turn(answer.content, 'assistant', new Date()));
    }
    const before = turnBeforeNewUserTurns(messages);
    const stored: NewMemory[] = turns.filter((item) => item.content.trim() !== '');
    if (before !== undefined && stored.length > 0 && stored[0].role === 'user') {
      // The caller's assistant turn is not stored (unless the gateway captured it itself).
      stored[0] = { ...stored[0], context: storableText(before).slice(-NEIGHBOUR_CHARS) };
    }
    this.writer.enqueue(scope, stored, context.requestId);
  }

  private async queryEmbedding(query: string): Promise<number[] | undefined> {
    if (!this.embedder.enabled) {
      return undefined;
    }
    try {
      const [vector] = await this.embedder.embed([query]);
      return vector;
    } catch (error) {
      this.logger.warn(`query embedding failed, ranking by text only: ${(error as Error).message}`);
      return undefined;
    }
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
