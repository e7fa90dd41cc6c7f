import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { toChatRequest } from './chat-request.mapper';
import {
  CHAT_COMPLETION_EXAMPLES,
  CHAT_COMPLETION_RESPONSE_EXAMPLE,
} from './dto/chat-completion.examples';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import { ChatCompletionResponseDto } from './dto/chat-completion-response.dto';
import { CompletionResponder } from './completion-responder';

@ApiTags('chat')
@ApiBearerAuth()
@Controller('v1')
export class CompletionsController {
  constructor(private readonly responder: CompletionResponder) {}

  @Post('chat/completions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a chat completion',
    description:
      'OpenAI Chat Completions. With `stream: true` the answer is `text/event-stream`: one ' +
      '`chat.completion.chunk` per `data:` event, ending with `data: [DONE]`.',
  })
  @ApiBody({ type: ChatCompletionRequestDto, examples: CHAT_COMPLETION_EXAMPLES })
  @ApiOkResponse({
    description: 'A `chat.completion` (JSON), or a stream of chunks when `stream` is true.',
    type: ChatCompletionResponseDto,
    example: CHAT_COMPLETION_RESPONSE_EXAMPLE,
  })
  @ApiErrorResponses(400, 401, 403, 404, 413, 429, 500, 502, 503, 504)
  create(
    @Body() body: ChatCompletionRequestDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.responder.respond(toChatRequest(body), request, response);
  }
}
