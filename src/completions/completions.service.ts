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
/** `auto`, or `auto:<pricing method>` for Straico's selector. */
const AUTO_MODELS = /^auto(:\w+)?$/;

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

  /** The model a request asks for once defaults apply (`auto` stays `auto[:policy]`). */
  resolveModel(request: ChatCompletionRequest): string {
    return request.model || AUTO_MODEL;
  }

  private route(call: CompletionCall): { route: ResolvedRoute; request: ChatCompletionRequest } {
    let model = this.resolveModel(call.request);
    if (AUTO_MODELS.test(model)) {
      const selector = this.registry.modelSelector();
      if (selector) {
        this.assertAllowed(call.apiKey, model);
        return {
          route: { provider: selector, upstreamModel: model },
          request: { ...call.request, model },
        };
      }
      // Without a selecting provider, `auto` means the configured default model.
      model = this.app.defaultModel;
    }
    this.assertAllowed(call.apiKey, model);
    const route = this.registry.resolve(model);
    return { route, request: { ...call.request, model: route.upstreamModel } };
  }

  private assertAllowed(apiKey: ApiKeyIdentity, model: string): void {
    if (apiKey.allowedModels && !apiKey.allowedModels.has(model)) {
      throw GatewayException.modelNotAllowed(model);
    }
  }
}
