import { Injectable, Logger } from '@nestjs/common';

import { ApiKeyIdentity } from '../auth/api-key.types';
import { GatewayException } from '../common/errors/gateway.exception';
import { ListMemoriesQueryDto } from './dto/memory-query.dto';
import {
  AddMemoriesResultDto,
  MemoryDeletedDto,
  MemoryDto,
  MemoryListDto,
  NamespaceDeletedDto,
  NamespaceListDto,
} from './dto/memory.dto';
import { MemoryEmbedder } from './memory-embedder.service';
import { parseNewMemories, toMemoryDto } from './memory.mappers';
import { storableText } from './memory-input';
import { visibleNamespaces } from './memory-namespaces';
import { MemoryService } from './memory.service';
import { MemoryStore } from './memory-store.service';
import { InvalidCursorError, MemoryRepository } from './memory.types';
import { keyTenant, memoryScope, SHARED_TENANT } from './namespace';
import { rejectedForData } from './store-errors';

const DEFAULT_PAGE = 20;

/**
 * The memory API (`/v1/memory/namespaces…`) behind its controller: each method is one route,
 * speaking the API's DTOs, for the namespaces one key may reach.
 */
@Injectable()
export class MemoryManagementService {
  private readonly logger = new Logger('Memory');

  constructor(
    private readonly store: MemoryStore,
    private readonly memory: MemoryService,
    private readonly embedder: MemoryEmbedder,
  ) {}

  namespaces(key: ApiKeyIdentity): Promise<NamespaceListDto> {
    return this.use(async (repository) => {
      const own = await repository.namespaces(keyTenant(key));
      const shared = key.sharedNamespaces?.size ? await repository.namespaces(SHARED_TENANT) : [];
      return { object: 'list', data: visibleNamespaces(key, own, shared) };
    });
  }

  /** Newest first by `after` cursor, or the best matches of `q` (one page, no cursor). */
  list(
    key: ApiKeyIdentity,
    namespace: string,
    query: ListMemoriesQueryDto,
  ): Promise<MemoryListDto> {
    const scope = memoryScope(key, namespace);
    const limit = query.limit === undefined ? undefined : Number(query.limit);
    return this.use(async (repository) => {
      if (query.q !== undefined) {
        const found = await this.memory.search(scope, storableText(query.q), { limit });
        return { object: 'list', data: found.map(toMemoryDto), has_more: false, next_cursor: null };
      }
      const page = await repository.list(scope.tenant, scope.namespace, {
        limit: limit ?? DEFAULT_PAGE,
        cursor: query.after,
      });
      return {
        object: 'list',
        data: page.items.map(toMemoryDto),
        has_more: page.nextCursor !== null,
        next_cursor: page.nextCursor,
      };
    });
  }

  /** `body` is one memory or an array, checked here (see parseNewMemories). */
  async add(
    key: ApiKeyIdentity,
    namespace: string,
    body: unknown,
    options: { conversation: boolean; requestId?: string },
  ): Promise<AddMemoriesResultDto> {
    const scope = memoryScope(key, namespace);
    const items = parseNewMemories(body).map((item) => ({
      ...item,
      conversation: options.conversation,
      requestId: options.requestId,
    }));
    const embedded = await this.embedder.withEmbeddings(items);
    return this.use(async (repository) => {
      const result = await repository.add(scope.tenant, scope.namespace, embedded);
      return {
        object: 'list',
        data: result.items,
        inserted: result.inserted.length,
        skipped: result.skipped,
      };
    });
  }

  async get(key: ApiKeyIdentity, namespace: string, id: string): Promise<MemoryDto> {
    const scope = memoryScope(key, namespace);
    const memory = await this.use((repository) =>
      repository.get(scope.tenant, scope.namespace, id),
    );
    if (memory === null) {
      throw GatewayException.memoryNotFound(id);
    }
    return toMemoryDto(memory);
  }

  async remove(key: ApiKeyIdentity, namespace: string, id: string): Promise<MemoryDeletedDto> {
    const scope = memoryScope(key, namespace);
    const deleted = await this.use((repository) =>
      repository.delete(scope.tenant, scope.namespace, id),
    );
    if (!deleted) {
      throw GatewayException.memoryNotFound(id);
    }
    return { id, object: 'memory.deleted', deleted: true };
  }

  async erase(key: ApiKeyIdentity, namespace: string): Promise<NamespaceDeletedDto> {
    const scope = memoryScope(key, namespace);
    const count = await this.use((repository) =>
      repository.deleteNamespace(scope.tenant, scope.namespace),
    );
    return {
      object: 'memory.namespace.deleted',
      namespace: scope.namespace,
      deleted: true,
      deleted_count: count,
    };
  }

  /**
   * Store outages become 503 memory_unavailable (the cause is logged, not sent); data the store
   * refuses is the request's fault, 400.
   */
  private async use<T>(work: (repository: MemoryRepository) => Promise<T>): Promise<T> {
    let repository: MemoryRepository;
    try {
      repository = await this.store.repository();
    } catch {
      throw GatewayException.memoryUnavailable();
    }
    try {
      return await work(repository);
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw GatewayException.invalidRequest(
          "Invalid 'after': not a cursor from this list.",
          'after',
          'invalid_value',
        );
      }
      if (rejectedForData(error)) {
        // Input rules keep known cases from getting here; anything else is still not an outage.
        throw GatewayException.invalidRequest(
          'The memory store cannot hold this data.',
          null,
          'invalid_value',
        );
      }
      this.logger.warn(`memory store error: ${(error as Error).message}`);
      throw GatewayException.memoryUnavailable();
    }
  }
}
