import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { ApiKeyIdentity } from '../auth/api-key.types';
import { GatewayException } from '../common/errors/gateway.exception';
import { appConfig } from '../config/app.config';
import { ProviderContext } from '../providers/chat-provider.interface';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
} from '../providers/chat.types';
import { ProviderRegistry, ResolvedRoute } from '../providers/provider-registry.service';

export interface CompletionCall {
  request: ChatCompletionRequest;
  apiKey: ApiKeyIdentity;
  context: ProviderContext;
}

const AUTO_MODEL = 'auto';

@Injectable()
export class CompletionsService {
  constructor(
    private readonly registry: ProviderRegistry,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  complete(call: CompletionCall): Promise<ChatCompletion> {
    const { route, request } = this.route(call);
    return route.provider.complete(request, call.context);
  }

  /**
   * Starts the upstream stream and waits for its first chunk before returning, so that a
   * refusal (bad model, upstream 4xx/5xx, timeout) is still answered as an HTTP error rather
   * than as an error event inside a 200 stream.
   */
  async stream(call: CompletionCall): Promise<AsyncIterable<ChatCompletionChunk>> {
    const { route, request } = this.route(call);
    const iterator = route.provider.stream(request, call.context)[Symbol.asyncIterator]();
    const first = await iterator.next();
    return (async function* primed() {
      if (first.done) {
        return;
      }
      yield first.value;
      yield* { [Symbol.asyncIterator]: () => iterator };
    })();
  }

  /** The model a request will be served by, before any provider is called. */
  resolveModel(request: ChatCompletionRequest): string {
    return !request.model || request.model === AUTO_MODEL ? this.app.defaultModel : request.model;
  }

  private route(call: CompletionCall): { route: ResolvedRoute; request: ChatCompletionRequest } {
    const model = this.resolveModel(call.request);
    const allowed = call.apiKey.allowedModels;
    if (allowed && !allowed.has(model)) {
      throw GatewayException.modelNotAllowed(model);
    }
    const route = this.registry.resolve(model);
    return { route, request: { ...call.request, model: route.upstreamModel } };
  }
}
