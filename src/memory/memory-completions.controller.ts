import { Body, Controller, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { ApiKey } from '../auth/api-key.decorator';
import type { ApiKeyIdentity } from '../auth/api-key.types';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { INVALID_NAMESPACE } from '../common/http/error-examples';
import { CompletionHooks, CompletionResponder } from '../completions/completion-responder';
import { toChatRequest } from '../completions/chat-request.mapper';
import {
  CHAT_COMPLETION_EXAMPLES,
  CHAT_COMPLETION_RESPONSE_EXAMPLE,
} from '../completions/dto/chat-completion.examples';
import { ChatCompletionRequestDto } from '../completions/dto/chat-completion-request.dto';
import { ChatCompletionResponseDto } from '../completions/dto/chat-completion-response.dto';
import { CapturedAnswer, captureStream, completionAnswer } from './answer-capture';
import { MemoryCompletionQueryDto } from './dto/memory-query.dto';
import { MemoryEnabledGuard } from './memory-enabled.guard';
import { MemoryRouteService } from './memory-route.service';
import { MEMORY_HEADERS_DOC } from './memory-headers';

@ApiTags('memory')
@ApiBearerAuth()
@Controller('v1/memory')
@UseGuards(MemoryEnabledGuard)
export class MemoryCompletionsController {
  constructor(
    private readonly responder: CompletionResponder,
    private readonly memoryRoute: MemoryRouteService,
  ) {}

  @Post('chat/completions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a chat completion that remembers',
    description:
      'The Chat Completions API (JSON or stream, `auto` too), plus memory: relevant memories ' +
      "of the namespace are added as one system message after the caller's system messages, " +
      'and the new user turns and the answer are stored once the answer is complete. Headers: ' +
      `${MEMORY_HEADERS_DOC}.`,
  })
  @ApiBody({ type: ChatCompletionRequestDto, examples: CHAT_COMPLETION_EXAMPLES })
  @ApiOkResponse({
    description: 'A `chat.completion` (JSON), or a stream of chunks when `stream` is true.',
    type: ChatCompletionResponseDto,
    example: CHAT_COMPLETION_RESPONSE_EXAMPLE,
  })
  @ApiErrorResponses(INVALID_NAMESPACE, 401, 403, 404, 413, 429, 500, 502, 503, 504)
  async create(
    @Body() body: ChatCompletionRequestDto,
    @Query() query: MemoryCompletionQueryDto,
    @ApiKey() apiKey: ApiKeyIdentity,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const turn = this.memoryRoute.begin(apiKey, query, request, response);
    const chatRequest = toChatRequest(body);
    const recalled = await turn.recall(() => chatRequest.messages);
    const forwarded = recalled ? { ...chatRequest, messages: recalled.messages } : chatRequest;
    if (!turn.remembers) {
      return this.responder.respond(forwarded, request, response);
    }
    const keep = (answer: CapturedAnswer) => turn.remember(chatRequest.messages, answer);
    const remember: CompletionHooks = {
      onCompletion: (completion) => keep(completionAnswer(completion)),
      wrapStream: (chunks) => captureStream(chunks, keep),
    };
    return this.responder.respond(forwarded, request, response, remember);
  }
}
