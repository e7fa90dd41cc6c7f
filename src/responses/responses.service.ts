import '../common/request/request-augmentation';
import '../metrics/request-metrics';

import { Injectable, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';

import { ApiKeyIdentity } from '../auth/api-key.types';
import { completionCall } from '../completions/completion-responder';
import { CompletionsService } from '../completions/completions.service';
import { sendServedRoute, withRouteTrailers } from '../completions/gateway-headers';
import { UpstreamMeter } from '../metrics/upstream-meter';
import { ProviderContext, ResponsesNotServedError } from '../providers/chat-provider.interface';
import { ChatCompletionChunk } from '../providers/chat.types';
import {
  ResponseItem,
  ResponseObject,
  ResponsesRequest,
  ResponseStreamEvent,
} from '../providers/responses.types';
import { RouteCandidate } from '../routing/route-planner.service';
import { TokenLimiter, TokenReservation } from '../throttling/token-limiter.service';
import { ResponseStore } from './response-store';
import { inputItems, toChatRequest } from './responses-request.mapper';
import { mintId, ResponseMeta, toChatUsage, toResponse } from './responses-response.mapper';
import { assertServable, nativeBody, responseNotFound } from './responses-request.rules';
import { KEEPALIVE, toResponseSseFrames } from './responses-sse';
import { ResponseEventBuilder } from './responses-stream';

/** A request with its history resolved: `body.input` is the whole conversation. */
export interface PreparedResponse {
  body: ResponsesRequest;
  /** This turn's own input items, as they are stored for the next turn. */
  turnInput: ResponseItem[];
}

export interface ResponsesHooks {
  /** A finished response (streamed ones once their terminal event has passed). */
  onResponse?(response: ResponseObject): void;
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);
const CONTENT_DELTAS = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
]);

/**
 * `/v1/responses` on top of the completion pipeline: the request is planned, limited, retried
 * and failed over as a chat completion; each route is then called natively (an upstream that
 * serves Responses) or through the Chat Completions translation. Conversation state lives in
 * the ResponseStore, so chains work across both kinds of upstream.
 */
@Injectable()
export class ResponsesService {
  constructor(
    private readonly completions: CompletionsService,
    private readonly tokens: TokenLimiter,
    private readonly store: ResponseStore,
  ) {}

  /** Refuses what the gateway cannot honour anywhere, and rebuilds the conversation. */
  prepare(body: ResponsesRequest, apiKey: ApiKeyIdentity): PreparedResponse {
    assertServable(body);
    const turnInput = this.store.resolveReferences(inputItems(body.input), apiKey.id);
    const history = body.previous_response_id
      ? this.store.history(body.previous_response_id, apiKey.id)
      : [];
    // Without history the input goes on as the client wrote it (a native upstream sees no change).
    const input =
      history.length === 0 && typeof body.input === 'string'
        ? body.input
        : [...history, ...turnInput];
    return { body: { ...body, input }, turnInput };
  }

  async respond(
    prepared: PreparedResponse,
    request: Request,
    response: Response,
    hooks: ResponsesHooks = {},
  ): Promise<ResponseObject | StreamableFile> {
    const body = prepared.body;
    const call = completionCall(toChatRequest(body, false), request, response);
    const meta: ResponseMeta = {
      id: mintId('resp'),
      createdAt: Math.floor(Date.now() / 1000),
      request: body,
    };
    request.gatewayModel = this.completions.resolveModel(call.request);
    const reservation = await this.tokens.reserve(call.apiKey, call.profile, response);
    const finish = (result: ResponseObject) => {
      const final = { ...result, previous_response_id: body.previous_response_id ?? null };
      if (body.store !== false) {
        this.store.save({
          owner: call.apiKey.id,
          response: final,
          input: prepared.turnInput,
          previousId: body.previous_response_id ?? null,
        });
      }
      hooks.onResponse?.(final);
      return final;
    };
    if (body.stream !== true) {
      const { result, route } = await this.completions
        .completeWith(
          call,
          (candidate, _request, context) => this.createOn(candidate, body, meta, context),
          (answer) => toChatUsage(answer.usage),
        )
        .catch((error: unknown) => this.giveBack(reservation, error));
      this.tokens.settle(reservation, result.usage?.total_tokens);
      sendServedRoute(response, route);
      request.gatewayModel = route.model;
      return finish(result);
    }
    const { result: events, route } = await this.completions
      .streamWith(
        call,
        (candidate, _request, context) => this.streamOn(candidate, body, meta, context),
        observe,
      )
      .catch((error: unknown) => this.giveBack(reservation, error));
    sendServedRoute(response, route);
    request.gatewayModel = route.model;
    response.setHeader('cache-control', 'no-cache');
    response.setHeader('x-accel-buffering', 'no');
    const watched = this.watch(events, body, (final) => {
      this.tokens.settle(reservation, final.usage?.total_tokens);
      finish(final);
    });
    return new StreamableFile(
      Readable.from(toResponseSseFrames(withRouteTrailers(watched, response, route))),
      { type: 'text/event-stream; charset=utf-8' },
    );
  }

  get(id: string, apiKey: ApiKeyIdentity): ResponseObject {
    const entry = this.store.get(id, apiKey.id);
    if (!entry) {
      throw responseNotFound(id);
    }
    return entry.response;
  }

  delete(id: string, apiKey: ApiKeyIdentity) {
    if (!this.store.delete(id, apiKey.id)) {
      throw responseNotFound(id);
    }
    return { id, object: 'response', deleted: true };
  }

  private async createOn(
    candidate: RouteCandidate,
    body: ResponsesRequest,
    meta: ResponseMeta,
    context: ProviderContext,
  ): Promise<ResponseObject> {
    const native = candidate.provider.responses;
    if (native?.serves()) {
      try {
        return await native.create(nativeBody(body, candidate.upstreamModel), context);
      } catch (error) {
        if (!(error instanceof ResponsesNotServedError)) {
          throw error;
        }
      }
    }
    const chat = toChatRequest({ ...body, model: candidate.upstreamModel }, true);
    return toResponse(await candidate.provider.complete(chat, context), meta);
  }

  private async *streamOn(
    candidate: RouteCandidate,
    body: ResponsesRequest,
    meta: ResponseMeta,
    context: ProviderContext,
  ): AsyncGenerator<ResponseStreamEvent> {
    const native = candidate.provider.responses;
    if (native?.serves()) {
      const upstream = native.stream(nativeBody(body, candidate.upstreamModel), context);
      const iterator = upstream[Symbol.asyncIterator]();
      let first: IteratorResult<ResponseStreamEvent> | undefined;
      try {
        first = await iterator.next();
      } catch (error) {
        if (!(error instanceof ResponsesNotServedError)) {
          throw error;
        }
      }
      if (first) {
        if (!first.done) {
          yield first.value;
          yield* { [Symbol.asyncIterator]: () => iterator };
        }
        return;
      }
    }
    const chat = toChatRequest({ ...body, model: candidate.upstreamModel }, true);
    yield* translated(candidate.provider.stream(chat, context), new ResponseEventBuilder(meta));
  }

  /**
   * Relays the events. The terminal one settles tokens, is stored and handed to the hooks before
   * it is sent: a client that chains the next turn at once finds this one stored.
   */
  private async *watch(
    events: AsyncIterable<ResponseStreamEvent>,
    body: ResponsesRequest,
    onFinal: (response: ResponseObject) => void,
  ): AsyncGenerator<ResponseStreamEvent> {
    const previousId = body.previous_response_id ?? null;
    for await (const event of events) {
      if (event.response && previousId !== null) {
        event.response.previous_response_id = previousId;
      }
      if (TERMINAL.has(event.type) && event.response) {
        onFinal(event.response);
      }
      yield event;
    }
  }

  private giveBack(reservation: TokenReservation | undefined, error: unknown): never {
    // Nothing was generated: the reservation goes back to the key's budget.
    this.tokens.settle(reservation, 0);
    throw error;
  }
}

/** Chat chunks as Responses events; the first event waits for the upstream's first chunk. */
async function* translated(
  chunks: AsyncIterable<ChatCompletionChunk>,
  builder: ResponseEventBuilder,
): AsyncGenerator<ResponseStreamEvent> {
  let started = false;
  for await (const chunk of chunks) {
    if (!started) {
      started = true;
      yield* builder.start(chunk.model);
    }
    const events = builder.chunk(chunk);
    yield* events.length > 0 || !isKeepAlive(chunk) ? events : [KEEPALIVE];
  }
  if (!started) {
    yield* builder.start('');
  }
  yield* builder.finish();
}

/** Straico's emulated stream: an empty delta while the answer is being worked on. */
function isKeepAlive(chunk: ChatCompletionChunk): boolean {
  const choice = chunk.choices?.[0];
  return (
    !chunk.usage &&
    choice !== undefined &&
    choice.finish_reason === null &&
    Object.keys(choice.delta ?? {}).length === 0
  );
}

function observe(meter: UpstreamMeter, event: ResponseStreamEvent): void {
  if (CONTENT_DELTAS.has(event.type)) {
    meter.firstToken();
  } else if (TERMINAL.has(event.type)) {
    meter.usage(toChatUsage(event.response?.usage));
  }
}
