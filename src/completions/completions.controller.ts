import '../common/request/request-augmentation';

import { Body, Controller, HttpCode, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';

import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { abortOnClientClose } from '../common/http/abort-on-close';
import { toSseFrames, withTrailers } from '../common/http/sse-frames';
import { ChatMessage } from '../providers/chat.types';
import { CHAT_COMPLETION_EXAMPLES } from './dto/chat-completion.examples';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import { ChatCompletionResponseDto } from './dto/chat-completion-response.dto';
import { CompletionsService } from './completions.service';

@ApiTags('chat')
@ApiBearerAuth()
@Controller('v1')
export class CompletionsController {
  constructor(private readonly completions: CompletionsService) {}

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
  })
  @ApiErrorResponses(400, 401, 403, 404, 413, 429, 502, 504)
  async create(
    @Body() body: ChatCompletionRequestDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const responseHeaders: Record<string, string> = {};
    const policyHeader = request.headers['x-gateway-policy'];
    const call = {
      policyHeader: typeof policyHeader === 'string' ? policyHeader : undefined,
      request: { ...body, messages: body.messages as ChatMessage[] } as never,
      apiKey: request.apiKey!,
      context: {
        signal: abortOnClientClose(response),
        requestId: request.id as string,
        responseHeaders,
      },
    };
    request.gatewayModel = this.completions.resolveModel(call.request);
    if (body.stream !== true) {
      const completion = await this.completions.complete(call);
      response.set(responseHeaders);
      request.gatewayModel = responseHeaders['x-gateway-selected-model'] ?? request.gatewayModel;
      return completion;
    }
    const chunks = await this.completions.stream(call);
    response.set(responseHeaders);
    // The log names the model that served, once routing (auto, fallbacks) has decided it.
    request.gatewayModel = responseHeaders['x-gateway-selected-model'] ?? request.gatewayModel;
    response.setHeader('cache-control', 'no-cache');
    response.setHeader('x-accel-buffering', 'no');
    return new StreamableFile(
      Readable.from(toSseFrames(withTrailers(chunks, response, responseHeaders))),
      { type: 'text/event-stream; charset=utf-8' },
    );
  }
}
