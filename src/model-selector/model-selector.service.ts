import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { GatewayException } from '../common/errors/gateway.exception';
import { ChatCompletionRequest } from '../providers/chat.types';
import { ModelCatalog } from '../catalog/model-catalog';
import { modelSelectorConfig, resolveSelector, SelectorKind } from './model-selector.config';
import { NoFitCause, NoModelFitsError, Selection, selectModel } from './model-selector';
import { profileRequest, RequestProfile } from './request-profile';
import { isAutoModel, parsePolicy, SelectionPolicy } from './selection-policy';
import { TokenCounter } from '../tokens/token-counter';

export const TOKEN_COUNTER = Symbol('TOKEN_COUNTER');

export interface SelectRequestOptions {
  /** The request's policy header; the `auto:<policy>` suffix wins over it. */
  policyHeader?: string | readonly string[];
  /** The caller key's allowed models (ids or aliases); undefined means any. */
  allowed?: ReadonlySet<string>;
  /** False while a model's upstream circuit is open; every model is healthy by default. */
  isHealthy?: (id: string) => boolean;
  /** The request's profile when the caller has it already (the token limiter made it). */
  profile?: RequestProfile;
}

export interface GatewaySelection extends Selection {
  policy: SelectionPolicy;
  profile: RequestProfile;
}

/**
 * The gateway's own `auto`: profiles the request, filters and ranks the catalog, and turns
 * "nothing fits" into the OpenAI-shaped error the client should see.
 */
@Injectable()
export class ModelSelectorService {
  constructor(
    @Inject(modelSelectorConfig.KEY)
    private readonly config: ConfigType<typeof modelSelectorConfig>,
    readonly catalog: ModelCatalog,
    @Inject(TOKEN_COUNTER) private readonly tokenizer: TokenCounter,
  ) {}

  isAuto(model: string | null | undefined): boolean {
    return isAutoModel(model);
  }

  /** The policy of an `auto` request: `auto:<policy>` first, then the header, then the default. */
  parsePolicy(
    model: string | null | undefined,
    header?: string | readonly string[],
  ): SelectionPolicy {
    return parsePolicy(model, header, this.config.defaultPolicy);
  }

  /** Who decides `auto` in this deployment. */
  selectorFor(straicoEnabled: boolean): SelectorKind {
    return resolveSelector(this.config.selector, straicoEnabled);
  }

  select(request: ChatCompletionRequest, options: SelectRequestOptions = {}): GatewaySelection {
    const policy = this.parsePolicy(request.model, options.policyHeader);
    const profile = options.profile ?? profileRequest(request, this.tokenizer);
    try {
      const selection = selectModel(profile, this.catalog.all(), {
        policy,
        allowed: options.allowed && this.catalog.allowedIds(options.allowed),
        isHealthy: options.isHealthy ?? (() => true),
      });
      return { ...selection, policy, profile };
    } catch (error) {
      throw error instanceof NoModelFitsError ? toGatewayException(error, profile) : error;
    }
  }
}

/** The status and OpenAI error body for each reason nothing fits. */
export function toGatewayException(error: NoModelFitsError, profile: RequestProfile) {
  const body = (param: string | null, code: string) => ({
    message: error.message,
    type: 'invalid_request_error',
    param,
    code,
  });
  const params: Record<NoFitCause, string | null> = {
    no_models: null,
    not_allowed: 'model',
    vision: 'messages',
    tools: 'tools',
    json_schema: 'response_format',
    sampling_params: 'model',
    max_output: profile.explicitOutput ? 'max_completion_tokens' : null,
    context: 'messages',
    unhealthy: null,
  };
  const param = params[error.why];
  switch (error.why) {
    case 'not_allowed':
      return new GatewayException(HttpStatus.FORBIDDEN, body(param, 'model_not_allowed'));
    case 'context':
      return new GatewayException(HttpStatus.BAD_REQUEST, body(param, 'context_length_exceeded'));
    case 'vision':
    case 'tools':
    case 'json_schema':
    case 'sampling_params':
    case 'max_output':
      return new GatewayException(HttpStatus.BAD_REQUEST, body(param, 'no_suitable_model'));
    case 'no_models':
    case 'unhealthy':
      return new GatewayException(HttpStatus.SERVICE_UNAVAILABLE, {
        ...body(param, 'no_provider_available'),
        type: 'server_error',
      });
  }
}
