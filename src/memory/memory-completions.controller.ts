import { Body, Controller, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { INVALID_NAMESPACE } from '../common/http/error-examples';
import { CompletionHooks, CompletionResponder } from '../completions/completion-responder';
import { toChatRequest } from '../completions/completions.controller';
import {
  CHAT_COMPLETION_EXAMPLES,
  CHAT_COMPLETION_RESPONSE_EXAMPLE,
} from '../completions/dto/chat-completion.examples';
import { ChatCompletionRequestDto } from '../completions/dto/chat-completion-request.dto';
import { ChatCompletionResponseDto } from '../completions/dto/chat-completion-response.dto';
import { CapturedAnswer, captureStream, completionAnswer } from './answer-capture';
import { MemoryCompletionQueryDto } from './dto/memory-query.dto';
import { MemoryEnabledGuard } from './memory-enabled.guard';
import { MemoryService } from './memory.service';
import { DEFAULT_NAMESPACE, memoryScope } from './namespace';

@ApiTags('memory')
@ApiBearerAuth()
@Controller('v1/memory')
@UseGuards(MemoryEnabledGuard)
export class MemoryCompletionsController {
  constructor(
    private readonly responder: CompletionResponder,
    private readonly memory: MemoryService,
  ) {}

  @Post('chat/completions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a chat completion that remembers',
    description:
      'The Chat Completions API (JSON or stream, `auto` too), plus memory: relevant memories ' +
      "of the namespace are added as one system message after the caller's system messages, " +
      'and the new user turns and the answer are stored once the answer is complete. Headers: ' +
      '`x-memory-namespace`, `x-memory-status` (ok, unavailable, off), `x-memory-injected`, ' +
      '`x-memory-retrieval-ms`.',
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
    const chatRequest = toChatRequest(body);
    response.setHeader('x-memory-namespace', scope.namespace);
    if (mode === 'off') {
      response.setHeader('x-memory-status', 'off');
      return this.responder.respond(chatRequest, request, response);
    }
    let forwarded = chatRequest;
    let status = 'ok';
    if (mode === 'read' || mode === 'readwrite') {
      const recall = await this.memory.recall(scope, chatRequest.messages);
      forwarded = { ...chatRequest, messages: recall.messages };
      status = recall.available ? 'ok' : 'unavailable';
      response.setHeader('x-memory-injected', String(recall.injected));
      response.setHeader('x-memory-retrieval-ms', String(recall.retrievalMs));
    }
    response.setHeader('x-memory-status', status);
    if (mode === 'read') {
      return this.responder.respond(forwarded, request, response);
    }
    // The caller's messages, not the forwarded ones: injected memories are not new turns. A
    // client that went away before the end gets nothing kept, even if the upstream finished.
    const keep = (answer: CapturedAnswer) => {
      if (!response.destroyed) {
        this.memory.remember(scope, chatRequest.messages, answer, {
          requestId: request.id as string,
          startedAt,
        });
      }
    };
    const remember: CompletionHooks = {
      onCompletion: (completion) => keep(completionAnswer(completion)),
      wrapStream: (chunks) => captureStream(chunks, keep),
    };
    return this.responder.respond(forwarded, request, response, remember);
  }
}
