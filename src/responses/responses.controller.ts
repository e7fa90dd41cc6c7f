import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { ApiKey } from '../auth/api-key.decorator';
import type { ApiKeyIdentity } from '../auth/api-key.types';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { CreateResponseDto } from './dto/create-response.dto';
import { ResponseObjectDto } from './dto/response-object.dto';
import {
  RESPONSE_EXAMPLES,
  RESPONSE_NOT_FOUND,
  RESPONSE_OBJECT_EXAMPLE,
  RESPONSES_BAD_REQUEST,
} from './dto/responses.examples';
import { toResponsesRequest } from './responses-request.mapper';
import { ResponsesService } from './responses.service';

export const RESPONSES_DESCRIPTION =
  'OpenAI Responses. Upstreams that serve it get it as it is; others (Straico, Chat-only ' +
  'servers) through Chat Completions. With `stream: true` the answer is `text/event-stream`: ' +
  '`response.created`, `response.in_progress`, per output item `response.output_item.added` … ' +
  '`response.output_item.done`, then `response.completed` (or `.incomplete`; `error` and ' +
  '`response.failed` on failure), each with `sequence_number`. Responses are kept for ' +
  '`previous_response_id` unless `store` is false.';

@ApiTags('responses')
@ApiBearerAuth()
@Controller('v1/responses')
export class ResponsesController {
  constructor(private readonly responses: ResponsesService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a model response', description: RESPONSES_DESCRIPTION })
  @ApiBody({ type: CreateResponseDto, examples: RESPONSE_EXAMPLES })
  @ApiOkResponse({
    description: 'A `response` (JSON), or a stream of events when `stream` is true.',
    type: ResponseObjectDto,
    example: RESPONSE_OBJECT_EXAMPLE,
  })
  @ApiErrorResponses(RESPONSES_BAD_REQUEST, 401, 403, 404, 413, 429, 500, 502, 503, 504)
  create(
    @Body() body: CreateResponseDto,
    @ApiKey() apiKey: ApiKeyIdentity,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const prepared = this.responses.prepare(toResponsesRequest(body), apiKey);
    return this.responses.respond(prepared, request, response);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a stored response (only the key that created it can)' })
  @ApiOkResponse({ type: ResponseObjectDto, example: RESPONSE_OBJECT_EXAMPLE })
  @ApiErrorResponses(401, RESPONSE_NOT_FOUND)
  retrieve(@Param('id') id: string, @ApiKey() apiKey: ApiKeyIdentity) {
    return this.responses.get(id, apiKey);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a stored response' })
  @ApiOkResponse({
    schema: { example: { id: 'resp_0123456789abcdef', object: 'response', deleted: true } },
  })
  @ApiErrorResponses(401, RESPONSE_NOT_FOUND)
  remove(@Param('id') id: string, @ApiKey() apiKey: ApiKeyIdentity) {
    return this.responses.delete(id, apiKey);
  }
}
