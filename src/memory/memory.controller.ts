import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Logger,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import type { Request } from 'express';

import { GatewayException } from '../common/errors/gateway.exception';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import {
  INVALID_NAMESPACE,
  MEMORY_NOT_FOUND,
  MEMORY_UNAVAILABLE,
} from '../common/http/error-examples';
import {
  AddMemoriesQueryDto,
  ListMemoriesQueryDto,
  MemoryParamsDto,
  NamespaceParamsDto,
} from './dto/memory-query.dto';
import {
  AddMemoriesResultDto,
  MemoryDeletedDto,
  MemoryDto,
  MemoryListDto,
  NamespaceDeletedDto,
  NamespaceListDto,
  NewMemoryDto,
} from './dto/memory.dto';
import { ADD_MEMORY_EXAMPLES, ADD_MEMORY_RESULT_EXAMPLE } from './dto/memory.examples';
import { MemoryEmbedder } from './memory-embedder.service';
import { MemoryEnabledGuard } from './memory-enabled.guard';
import { parseNewMemories, toMemoryDto, toNamespaceDto } from './memory.mappers';
import { storableText } from './memory-input';
import { MemoryService } from './memory.service';
import { MemoryStore } from './memory-store.service';
import { InvalidCursorError, MemoryRepository } from './memory.types';
import { keyTenant, memoryScope, MemoryScope, SHARED_TENANT } from './namespace';
import { rejectedForData } from './store-errors';

@ApiTags('memory')
@ApiBearerAuth()
@ApiExtraModels(NewMemoryDto)
@Controller('v1/memory/namespaces')
@UseGuards(MemoryEnabledGuard)
export class MemoryController {
  private readonly logger = new Logger('Memory');

  constructor(
    private readonly store: MemoryStore,
    private readonly memory: MemoryService,
    private readonly embedder: MemoryEmbedder,
  ) {}

  @Get()
  @ApiOperation({ summary: "This key's memory namespaces, and the shared ones granted to it" })
  @ApiOkResponse({ type: NamespaceListDto })
  @ApiErrorResponses(401, MEMORY_UNAVAILABLE)
  async namespaces(@Req() request: Request): Promise<NamespaceListDto> {
    const key = request.apiKey!;
    const granted = [...(key.sharedNamespaces ?? [])];
    return this.use(async (repository) => {
      const own = await repository.namespaces(keyTenant(key));
      const shared =
        granted.length === 0
          ? []
          : (await repository.namespaces(SHARED_TENANT)).filter((s) =>
              granted.includes(s.namespace),
            );
      const sharedByName = new Map(shared.map((summary) => [summary.namespace, summary]));
      const data = [
        // A private namespace that is also granted shared is shadowed: requests reach the shared one.
        ...own
          .filter((s) => !sharedByName.has(s.namespace) && !granted.includes(s.namespace))
          .map((s) => toNamespaceDto(s.namespace, s, false)),
        ...granted.map((name) => toNamespaceDto(name, sharedByName.get(name), true)),
      ].sort((a, b) => a.namespace.localeCompare(b.namespace));
      return { object: 'list', data };
    });
  }

  @Get(':namespace/memories')
  @ApiOperation({
    summary: 'List memories, newest first, or search them with `q`',
    description: 'Pages by `after` = the previous `next_cursor`.',
  })
  @ApiOkResponse({ type: MemoryListDto })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, MEMORY_UNAVAILABLE)
  async list(
    @Param() params: NamespaceParamsDto,
    @Query() query: ListMemoriesQueryDto,
    @Req() request: Request,
  ): Promise<MemoryListDto> {
    const scope = memoryScope(request.apiKey!, params.namespace);
    const limit = query.limit === undefined ? undefined : Number(query.limit);
    return this.use(async (repository) => {
      if (query.q !== undefined) {
        const found = await this.memory.search(scope, storableText(query.q), { limit });
        return { object: 'list', data: found.map(toMemoryDto), has_more: false, next_cursor: null };
      }
      const page = await repository.list(scope.tenant, scope.namespace, {
        limit: limit ?? 20,
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

  @Post(':namespace/memories')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add one memory or a batch',
    description:
      'Exact duplicates (same role and content) of stored memories are not stored again. With ' +
      '`conversation=true` the items are conversation turns in order: each is also found by the ' +
      'words of the turns around it (up to two on each side, nearer ones weighing more; turns ' +
      'more than 30 minutes apart are separate conversations), as turns written by completions ' +
      'are.',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(NewMemoryDto) },
        { type: 'array', items: { $ref: getSchemaPath(NewMemoryDto) }, maxItems: 1000 },
      ],
    },
    examples: ADD_MEMORY_EXAMPLES,
  })
  @ApiCreatedResponse({ type: AddMemoriesResultDto, example: ADD_MEMORY_RESULT_EXAMPLE })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, 413, MEMORY_UNAVAILABLE)
  async add(
    @Param() params: NamespaceParamsDto,
    @Query() query: AddMemoriesQueryDto,
    @Body() body: unknown,
    @Req() request: Request,
  ): Promise<AddMemoriesResultDto> {
    const scope = memoryScope(request.apiKey!, params.namespace);
    const parsed = parseNewMemories(body);
    const items = parsed.map((item) => ({
      ...item,
      conversation: query.conversation === 'true',
      requestId: request.id as string,
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

  @Get(':namespace/memories/:id')
  @ApiOperation({ summary: 'Get one memory' })
  @ApiOkResponse({ type: MemoryDto })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, MEMORY_NOT_FOUND, MEMORY_UNAVAILABLE)
  async get(@Param() params: MemoryParamsDto, @Req() request: Request): Promise<MemoryDto> {
    const scope = memoryScope(request.apiKey!, params.namespace);
    const memory = await this.use((repository) =>
      repository.get(scope.tenant, scope.namespace, params.id),
    );
    if (memory === null) {
      throw GatewayException.memoryNotFound(params.id);
    }
    return toMemoryDto(memory);
  }

  @Delete(':namespace/memories/:id')
  @ApiOperation({ summary: 'Delete one memory' })
  @ApiOkResponse({ type: MemoryDeletedDto })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, MEMORY_NOT_FOUND, MEMORY_UNAVAILABLE)
  async remove(
    @Param() params: MemoryParamsDto,
    @Req() request: Request,
  ): Promise<MemoryDeletedDto> {
    const scope = memoryScope(request.apiKey!, params.namespace);
    const deleted = await this.use((repository) =>
      repository.delete(scope.tenant, scope.namespace, params.id),
    );
    if (!deleted) {
      throw GatewayException.memoryNotFound(params.id);
    }
    return { id: params.id, object: 'memory.deleted', deleted: true };
  }

  @Delete(':namespace')
  @ApiOperation({
    summary: 'Erase a namespace',
    description:
      'Deletes every memory of the namespace (for this key), e.g. for a data-protection request.',
  })
  @ApiOkResponse({ type: NamespaceDeletedDto })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, MEMORY_UNAVAILABLE)
  async erase(
    @Param() params: NamespaceParamsDto,
    @Req() request: Request,
  ): Promise<NamespaceDeletedDto> {
    const scope: MemoryScope = memoryScope(request.apiKey!, params.namespace);
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
