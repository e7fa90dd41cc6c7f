import '../common/request/request-augmentation';
import '../metrics/request-metrics';

import { Injectable, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';

import { abortOnClientClose } from '../common/http/abort-on-close';
import { cutOnShutdown, shuttingDownError } from '../common/http/cut-on-shutdown';
import { toSseFrames } from '../common/http/sse-frames';
import { traceparentOf } from '../common/http/trace-context';
import { GatewayLifecycle } from '../lifecycle/gateway-lifecycle';
import { lazyProfile } from '../model-selector/request-profile';
import { POLICY_HEADER } from '../model-selector/selection-policy';
import { o200kTokenCounter } from '../tokens/token-counter';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
} from '../providers/chat.types';
import { TokenLimiter } from '../throttling/token-limiter.service';
import { CompletionCall, CompletionsService } from './completions.service';
import { sendServedRoute, withRouteTrailers } from './gateway-headers';

/** How a route that builds on chat completions (memory) sees and changes one exchange. */
export interface CompletionHooks {
  /** Called with a complete non-streamed answer, before it is sent. */
  onCompletion?(completion: ChatCompletion): void;
  /** Wraps the chunks of a streamed answer on their way to the client. */
  wrapStream?(chunks: AsyncIterable<ChatCompletionChunk>): AsyncIterable<ChatCompletionChunk>;
}

/**
 * Serves one chat completion over HTTP: JSON, or SSE with trailers for what is known only at
 * the end. Shared by /v1/chat/completions and /v1/memory/chat/completions so both answer alike.
 */
@Injectable()
export class CompletionResponder {
  constructor(
    private readonly completions: CompletionsService,
    private readonly tokens: TokenLimiter,
    private readonly lifecycle: GatewayLifecycle,
  ) {}

  async respond(
    chatRequest: ChatCompletionRequest,
    request: Request,
    response: Response,
    hooks: CompletionHooks = {},
  ): Promise<ChatCompletion | StreamableFile> {
    const call = completionCall(chatRequest, request, response, this.lifecycle.cutSignal);
    request.gatewayModel = this.completions.resolveModel(call.request);
    const reservation = await this.tokens.reserve(call.apiKey, call.profile, response);
    if (chatRequest.stream !== true) {
      const { result: completion, route } = await this.completions
        .complete(call)
        .catch((error: unknown) => {
          // Nothing was generated: the reservation goes back to the key's budget.
          this.tokens.settle(reservation, 0);
          throw this.lifecycle.cutSignal.aborted ? shuttingDownError() : error;
        });
      this.tokens.settle(reservation, completion.usage?.total_tokens);
      sendServedRoute(response, route);
      request.gatewayModel = route.model;
      hooks.onCompletion?.(completion);
      return completion;
    }
    const { result: started, route } = await this.completions
      .stream(call)
      .catch((error: unknown) => {
        this.tokens.settle(reservation, 0);
        throw this.lifecycle.cutSignal.aborted ? shuttingDownError() : error;
      });
    // Only a key with a token limit pays for watching the chunks for usage.
    const chunks =
      reservation === undefined
        ? started
        : settleOnUsage(started, (used) => this.tokens.settle(reservation, used));
    sendServedRoute(response, route);
    // The log names the model that served, once routing (auto, fallbacks) has decided it.
    request.gatewayModel = route.model;
    response.setHeader('cache-control', 'no-cache');
    response.setHeader('x-accel-buffering', 'no');
    const relayed = cutOnShutdown(
      hooks.wrapStream ? hooks.wrapStream(chunks) : chunks,
      this.lifecycle.cutSignal,
    );
    return new StreamableFile(
      Readable.from(toSseFrames(withRouteTrailers(relayed, response, route))),
      { type: 'text/event-stream; charset=utf-8' },
    );
  }
}

/** One exchange as the completion pipeline sees it: the caller, the route policy, the signal. */
export function completionCall(
  chatRequest: ChatCompletionRequest,
  request: Request,
  response: Response,
  /** Fires when the shutdown grace period is over: the upstream call is given up then. */
  cut?: AbortSignal,
): CompletionCall {
  const policyHeader = request.headers[POLICY_HEADER];
  return {
    policyHeader: typeof policyHeader === 'string' ? policyHeader : undefined,
    request: chatRequest,
    apiKey: request.apiKey!,
    timing: request.gatewayMetrics,
    context: {
      signal: abortOnClientClose(response, cut),
      requestId: request.id as string,
      traceparent: traceparentOf(request),
    },
    profile: lazyProfile(chatRequest, o200kTokenCounter),
  };
}

/** Relays the chunks and settles the token reservation from the usage chunk, if one comes. */
async function* settleOnUsage(
  chunks: AsyncIterable<ChatCompletionChunk>,
  settle: (usedTokens: number) => void,
): AsyncGenerator<ChatCompletionChunk> {
  for await (const chunk of chunks) {
    if (typeof chunk.usage?.total_tokens === 'number') {
      settle(chunk.usage.total_tokens);
    }
    yield chunk;
  }
}
