import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
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

import { ApiKey } from '../auth/api-key.decorator';
import type { ApiKeyIdentity } from '../auth/api-key.types';
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
import { MemoryEnabledGuard } from './memory-enabled.guard';
import { MemoryManagementService } from './memory-management.service';

@ApiTags('memory')
@ApiBearerAuth()
@ApiExtraModels(NewMemoryDto)
@Controller('v1/memory/namespaces')
@UseGuards(MemoryEnabledGuard)
export class MemoryController {
  constructor(private readonly memories: MemoryManagementService) {}

  @Get()
  @ApiOperation({ summary: "This key's memory namespaces, and the shared ones granted to it" })
  @ApiOkResponse({ type: NamespaceListDto })
  @ApiErrorResponses(401, MEMORY_UNAVAILABLE)
  namespaces(@ApiKey() key: ApiKeyIdentity): Promise<NamespaceListDto> {
    return this.memories.namespaces(key);
  }

  @Get(':namespace/memories')
  @ApiOperation({
    summary: 'List memories, newest first, or search them with `q`',
    description: 'Pages by `after` = the previous `next_cursor`.',
  })
  @ApiOkResponse({ type: MemoryListDto })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, MEMORY_UNAVAILABLE)
  list(
    @Param() params: NamespaceParamsDto,
    @Query() query: ListMemoriesQueryDto,
    @ApiKey() key: ApiKeyIdentity,
  ): Promise<MemoryListDto> {
    return this.memories.list(key, params.namespace, query);
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
  add(
    @Param() params: NamespaceParamsDto,
    @Query() query: AddMemoriesQueryDto,
    @Body() body: unknown,
    @ApiKey() key: ApiKeyIdentity,
    @Req() request: Request,
  ): Promise<AddMemoriesResultDto> {
    const conversation = query.conversation === 'true';
    return this.memories.add(key, params.namespace, body, {
      conversation,
      requestId: request.id as string,
    });
  }

  @Get(':namespace/memories/:id')
  @ApiOperation({ summary: 'Get one memory' })
  @ApiOkResponse({ type: MemoryDto })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, MEMORY_NOT_FOUND, MEMORY_UNAVAILABLE)
  get(@Param() params: MemoryParamsDto, @ApiKey() key: ApiKeyIdentity): Promise<MemoryDto> {
    return this.memories.get(key, params.namespace, params.id);
  }

  @Delete(':namespace/memories/:id')
  @ApiOperation({ summary: 'Delete one memory' })
  @ApiOkResponse({ type: MemoryDeletedDto })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, MEMORY_NOT_FOUND, MEMORY_UNAVAILABLE)
  remove(
    @Param() params: MemoryParamsDto,
    @ApiKey() key: ApiKeyIdentity,
  ): Promise<MemoryDeletedDto> {
    return this.memories.remove(key, params.namespace, params.id);
  }

  @Delete(':namespace')
  @ApiOperation({
    summary: 'Erase a namespace',
    description:
      'Deletes every memory of the namespace (for this key), e.g. for a data-protection request.',
  })
  @ApiOkResponse({ type: NamespaceDeletedDto })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, MEMORY_UNAVAILABLE)
  erase(
    @Param() params: NamespaceParamsDto,
    @ApiKey() key: ApiKeyIdentity,
  ): Promise<NamespaceDeletedDto> {
    return this.memories.erase(key, params.namespace);
  }
}
