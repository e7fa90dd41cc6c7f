import { Logger } from '@nestjs/common';
import type { Dispatcher } from 'undici';

import { ProviderException } from '../../common/errors/provider.exception';
import {
  NativeResponses,
  ProviderContext,
  ResponsesNotServedError,
} from '../chat-provider.interface';
import { ResponseObject, ResponsesRequest, ResponseStreamEvent } from '../responses.types';
import { parseSse } from '../shared/sse-parser';
import { fromUpstreamError } from '../shared/upstream-errors';

export type ResponsesMode = 'auto' | 'native' | 'translate';

/** How the provider sends a body to one of its endpoints, and names transport failures. */
export interface UpstreamTransport {
  post(body: unknown, context: ProviderContext, path: string): Promise<Dispatcher.ResponseData>;
  transportError(error: unknown, context: ProviderContext): Error;
}

const TERMINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * `POST /responses` passed through to an OpenAI-compatible upstream. In `auto` mode the first
 * answer that shows the route missing (404/405/501 that is not about the model) switches the
 * provider to translation for the rest of the process, and that request is translated too.
 */
export class OpenAiResponses implements NativeResponses {
  private readonly logger = new Logger('OpenAiResponses');
  private served: boolean;

  constructor(
    private readonly providerId: string,
    private readonly mode: ResponsesMode,
    private readonly transport: UpstreamTransport,
  ) {
    this.served = mode !== 'translate';
  }

  serves(): boolean {
    return this.served;
  }

  async create(request: ResponsesRequest, context: ProviderContext): Promise<ResponseObject> {
    const response = await this.transport.post(request, context, '/responses');
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw this.transport.transportError(error, context);
    }
    this.judgeStatus(response, text);
    try {
      return JSON.parse(text) as ResponseObject;
    } catch {
      throw ProviderException.badResponse(this.providerId, 'the response was not JSON');
    }
  }

  async *stream(
    request: ResponsesRequest,
    context: ProviderContext,
  ): AsyncGenerator<ResponseStreamEvent> {
    const response = await this.transport.post(request, context, '/responses');
    const body = response.body;
    try {
      if (response.statusCode >= 400) {
        this.judgeStatus(response, await body.text());
      }
      for await (const event of parseSse(body)) {
        if (event.data === '[DONE]') {
          return;
        }
        const parsed = this.parseEvent(event.data);
        yield parsed;
        if (TERMINAL_EVENTS.has(parsed.type)) {
          return;
        }
      }
      throw ProviderException.badResponse(
        this.providerId,
        'the stream ended before its last event',
      );
    } catch (error) {
      if (error instanceof ProviderException || error instanceof ResponsesNotServedError) {
        throw error;
      }
      throw this.transport.transportError(error, context);
    } finally {
      body.destroy();
    }
  }

  private judgeStatus(response: Dispatcher.ResponseData, text: string): void {
    const status = response.statusCode;
    if (status < 400) {
      return;
    }
    if (this.mode === 'auto' && [404, 405, 501].includes(status) && !/model/i.test(text)) {
      this.served = false;
      this.logger.log(
        { provider: this.providerId, status },
        'The upstream has no /responses; translating Responses to Chat Completions from now on',
      );
      throw new ResponsesNotServedError(this.providerId);
    }
    throw fromUpstreamError(this.providerId, status, text, response.headers);
  }

  private parseEvent(data: string): ResponseStreamEvent {
    try {
      return JSON.parse(data) as ResponseStreamEvent;
    } catch {
      throw ProviderException.badResponse(this.providerId, 'a stream event was not JSON');
    }
  }
}
