import { Body, Controller, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { ApiKey } from '../auth/api-key.decorator';
import type { ApiKeyIdentity } from '../auth/api-key.types';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { INVALID_NAMESPACE } from '../common/http/error-examples';
import { MemoryCompletionQueryDto } from '../memory/dto/memory-query.dto';
import { MemoryEnabledGuard } from '../memory/memory-enabled.guard';
import { MemoryRouteService, Recalled } from '../memory/memory-route.service';
import { CreateResponseDto } from './dto/create-response.dto';
import { ResponseObjectDto } from './dto/response-object.dto';
import { RESPONSE_EXAMPLES, RESPONSE_OBJECT_EXAMPLE } from './dto/responses.examples';
import { inputItems, toChatRequest, toResponsesRequest } from './responses-request.mapper';
import { outputTextOf } from './responses-response.mapper';
import { PreparedResponse, ResponsesHooks, ResponsesService } from './responses.service';
import { MEMORY_HEADERS_DOC } from '../memory/memory-headers';

/** `/v1/memory/responses`: the Responses API with the chat memory route's recall and capture. */
@ApiTags('memory')
@ApiBearerAuth()
@Controller('v1/memory')
@UseGuards(MemoryEnabledGuard)
export class MemoryResponsesController {
  constructor(
    private readonly responses: ResponsesService,
    private readonly memoryRoute: MemoryRouteService,
  ) {}

  @Post('responses')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a model response that remembers',
    description:
      'The Responses API (JSON or stream), plus memory exactly as on /v1/memory/chat/completions: ' +
      'relevant memories of the namespace are added as a system message before the input, and ' +
      'the new user turns and the answer are stored once the answer is complete. Headers: ' +
      `${MEMORY_HEADERS_DOC}.`,
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
    @ApiKey() apiKey: ApiKeyIdentity,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const turn = this.memoryRoute.begin(apiKey, query, request, response);
    const prepared = this.responses.prepare(toResponsesRequest(body), apiKey);
    // Memory reads and keeps the conversation as chat messages.
    const conversation = () => toChatRequest(prepared.body, false).messages;
    const recalled = await turn.recall(conversation);
    if (recalled === undefined || !turn.remembers) {
      return this.responses.respond(withMemory(prepared, recalled), request, response);
    }
    const remember: ResponsesHooks = {
      onResponse: (answer) => {
        if (answer.status !== 'failed') {
          const captured = { content: outputTextOf(answer), model: answer.model };
          turn.remember(recalled.conversation, captured);
        }
      },
    };
    return this.responses.respond(withMemory(prepared, recalled), request, response, remember);
  }
}

/** The memory message goes first in the input, as a system message item. */
function withMemory(prepared: PreparedResponse, recalled: Recalled | undefined): PreparedResponse {
  const content = recalled?.memoryMessage?.content;
  if (content === undefined) {
    return prepared;
  }
  const input = [{ type: 'message', role: 'system', content }, ...inputItems(prepared.body.input)];
  return { ...prepared, body: { ...prepared.body, input } };
}
