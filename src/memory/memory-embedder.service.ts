import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { ProviderRegistry } from '../providers/provider-registry.service';
import { memoryConfig } from './memory.config';

// Embedding a query is on the request path, storing is not; both are bounded.
const EMBED_TIMEOUT_MS = 10_000;

/**
 * Turns texts into unit vectors through the provider registry's OpenAI-compatible
 * `/embeddings`, for hybrid ranking. Disabled unless MEMORY_EMBEDDINGS_MODEL is set.
 */
@Injectable()
export class MemoryEmbedder {
  readonly model: string | undefined;

  constructor(
    private readonly registry: ProviderRegistry,
    @Inject(memoryConfig.KEY) config: ConfigType<typeof memoryConfig>,
  ) {
    this.model = config.embeddingsModel;
  }

  get enabled(): boolean {
    return this.model !== undefined;
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
