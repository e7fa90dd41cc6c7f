import { Body, Controller, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { INVALID_NAMESPACE } from '../common/http/error-examples';
import { MemoryCompletionQueryDto } from '../memory/dto/memory-query.dto';
import { MemoryEnabledGuard } from '../memory/memory-enabled.guard';
import { MemoryService } from '../memory/memory.service';
import { DEFAULT_NAMESPACE, memoryScope } from '../memory/namespace';
import { CreateResponseDto } from './dto/create-response.dto';
import { ResponseObjectDto } from './dto/response-object.dto';
import { RESPONSE_EXAMPLES, RESPONSE_OBJECT_EXAMPLE } from './dto/responses.examples';
import { toResponsesRequest } from './responses.controller';
import { inputItems, toChatRequest } from './responses-request.mapper';
import { outputTextOf } from './responses-response.mapper';
import { ResponsesHooks, ResponsesService } from './responses.service';

/** `/v1/memory/responses`: the Responses API with the chat memory route's recall and capture. */
@ApiTags('memory')
@ApiBearerAuth()
@Controller('v1/memory')
@UseGuards(MemoryEnabledGuard)
export class MemoryResponsesController {
  constructor(
    private readonly responses: ResponsesService,
    private readonly memory: MemoryService,
  ) {}

  @Post('responses')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a model response that remembers',
    description:
      'The Responses API (JSON or stream), plus memory exactly as on /v1/memory/chat/completions: ' +
      'relevant memories of the namespace are added as a system message before the input, and ' +
      'the new user turns and the answer are stored once the answer is complete. Headers: ' +
      '`x-memory-namespace`, `x-memory-status`, `x-memory-injected`, `x-memory-retrieval-ms`.',
  })
  @ApiBody({ type: CreateResponseDto, examples: RESPONSE_EXAMPLES })
  @ApiOkResponse({
    description: 'A `response` (JSON), or a stream of events when `stream` is true.',
    type: ResponseObjectDto,
    example: RESPONSE_OBJECT_EXAMPLE,
  })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, 403, 404, 413, 429, 500, 502, 503, 504)
  async create(
    @Body() body: CreateResponseDto,
    @Query() query: MemoryCompletionQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const startedAt = new Date();
    const apiKey = request.apiKey!;
    const mode = query.memory ?? 'readwrite';
    const scope = memoryScope(
      apiKey,
      query.namespace ?? apiKey.memoryNamespace ?? DEFAULT_NAMESPACE,
    );
    const prepared = this.responses.prepare(toResponsesRequest(body), apiKey);
    response.setHeader('x-memory-namespace', scope.namespace);
    if (mode === 'off') {
      response.setHeader('x-memory-status', 'off');
      return this.responses.respond(prepared, request, response);
    }
    // The conversation as chat messages, which is what memory reads and keeps.
    const messages = toChatRequest(prepared.body, false).messages;
    let forwarded = prepared;
    let status = 'ok';
    if (mode === 'read' || mode === 'readwrite') {
      const recall = await this.memory.recall(scope, messages);
      const added = recall.messages.find((message) => !messages.includes(message));
      if (added) {
        const memoryItem = { type: 'message', role: 'system', content: added.content };
        const input = [memoryItem, ...inputItems(prepared.body.input)];
        forwarded = { ...prepared, body: { ...prepared.body, input } };
      }
      status = recall.available ? 'ok' : 'unavailable';
      response.setHeader('x-memory-injected', String(recall.injected));
      response.setHeader('x-memory-retrieval-ms', String(recall.retrievalMs));
    }
    response.setHeader('x-memory-status', status);
    if (mode === 'read') {
      return this.responses.respond(forwarded, request, response);
    }
    // A client that went away before the end gets nothing kept, even if the upstream finished.
    const remember: ResponsesHooks = {
      onResponse: (answer) => {
        if (!response.destroyed && answer.status !== 'failed') {
          this.memory.remember(
            scope,
            messages,
            { content: outputTextOf(answer), model: answer.model },
            { requestId: request.id as string, startedAt },
          );
        }
      },
    };
    return this.responses.respond(forwarded, request, response, remember);
  }
}
