import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { ProviderRegistry } from '../providers/provider-registry.service';
import { memoryConfig } from './memory.config';
import { NewMemory } from './memory.types';

// Embedding a query is on the request path, storing is not; both are bounded.
const EMBED_TIMEOUT_MS = 10_000;

/**
 * Turns texts into unit vectors through the provider registry's OpenAI-compatible
 * `/embeddings`, for hybrid ranking. Disabled unless MEMORY_EMBEDDINGS_MODEL is set.
 */
@Injectable()
export class MemoryEmbedder {
  readonly model: string | undefined;
  private readonly logger = new Logger('Memory');

  constructor(
    private readonly registry: ProviderRegistry,
    @Inject(memoryConfig.KEY) config: ConfigType<typeof memoryConfig>,
  ) {
    this.model = config.embeddingsModel;
  }

  get enabled(): boolean {
    return this.model !== undefined;
  }

  /**
   * The memories with their vectors; unchanged when embeddings are off or the call fails (they
   * are still found by text, so a failing embeddings endpoint never costs a memory).
   */
  async withEmbeddings<T extends NewMemory>(items: T[]): Promise<T[]> {
    if (!this.enabled || items.length === 0) {
      return items;
    }
    try {
      const vectors = await this.embed(items.map((item) => item.content));
      return items.map((item, index) => ({ ...item, embedding: vectors[index] }));
    } catch (error) {
      this.logger.warn(
        `embeddings failed for ${items.length} memories, stored for text search only: ` +
          (error as Error).message,
      );
      return items;
    }
  }

  /** Unit-length vectors, so that a dot product in SQL is the cosine similarity. */
  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const { provider, upstreamModel } = this.registry.resolve(this.model!);
    if (provider.embed === undefined) {
      throw new Error(`provider "${provider.id}" has no embeddings endpoint for ${this.model}`);
    }
    const timeout = AbortSignal.timeout(EMBED_TIMEOUT_MS);
    const vectors = await provider.embed(
      upstreamModel,
      texts,
      signal ? AbortSignal.any([signal, timeout]) : timeout,
    );
    return vectors.map(unitLength);
  }
}

export function unitLength(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}
