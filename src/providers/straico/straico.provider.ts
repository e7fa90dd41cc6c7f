import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { randomUUID } from 'node:crypto';
import { Agent } from 'undici';

import { ProviderException } from '../../common/errors/provider.exception';
import { ChatProvider, ProviderContext } from '../chat-provider.interface';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ProviderModel,
} from '../chat.types';
import { ModelListCache } from '../shared/model-list-cache';
import { RetryPolicy, withRetries } from '../shared/retry';
import { createUndiciAdapter } from '../shared/undici-axios-adapter';
import { fromTransportError } from '../shared/upstream-errors';
import { straicoConfig } from './straico.config';
import { StraicoModelEntry } from './straico.types';
import { straicoSelectorMethod } from './straico-auto';
import { fromStraicoError, modelNotFound } from './straico-errors';
import { toProviderModel } from './straico-models';
import {
  hasAttachments,
  StraicoTarget,
  toStraicoChatRequest,
  toStraicoPromptV1Request,
} from './straico-request.mapper';
import {
  AnswerShaping,
  fromStraicoChatResponse,
  fromStraicoPromptV1Response,
  StraicoAnswer,
} from './straico-response.mapper';
import { emulateStream } from './straico-stream';
import { functionTools } from './straico-tools';

interface PreparedCall {
  path: string;
  body: unknown;
  shaping: AnswerShaping;
  parse: (body: never, shaping: AnswerShaping) => StraicoAnswer;
}

/**
 * Straico (shared/reference/straico-api.md): chat through POST /v2/chat/completions, attachments
 * through POST /v1/prompt/completion, `auto` through Straico's smart selector. Straico cannot
 * stream; streams are emulated around its single answer (straico-stream.ts).
 */
@Injectable()
export class StraicoProvider implements ChatProvider, OnApplicationShutdown {
  readonly id = 'straico';
  readonly acceptsUnlistedModels = false;
  readonly selectsModels = true;
  readonly retriesInternally = true;
  private readonly dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  private readonly http: AxiosInstance;
  private readonly models: ModelListCache;
  private readonly retryPolicy: RetryPolicy;

  constructor(
    @Inject(straicoConfig.KEY) private readonly config: ConfigType<typeof straicoConfig>,
  ) {
    this.http = axios.create({
      baseURL: config.baseUrl,
      adapter: createUndiciAdapter(this.dispatcher),
      timeout: config.timeoutMs,
      headers: {
        authorization: `Bearer ${config.apiKey ?? ''}`,
        'content-type': 'application/json',
      },
      // Straico answers 200 or 201 for success (uncertain per endpoint); every status is judged here.
      validateStatus: () => true,
      transformResponse: [],
    });
    this.models = new ModelListCache(
      config.modelsTtlMs,
      (signal) => this.fetchModels(signal),
      Date.now,
      (model) => model.id.slice(`${this.id}/`.length),
    );
    this.retryPolicy = {
      retries: config.retries,
      baseDelayMs: config.retryBaseMs,
      maxDelayMs: 8_000,
      maxRetryAfterMs: 30_000,
    };
  }

  isEnabled(): boolean {
    return this.config.enabled;
  }

  cachedModels(): readonly ProviderModel[] {
    return this.models.current();
  }

  hasModel(modelId: string): boolean {
    return this.models.has(modelId);
  }

  listModels(signal?: AbortSignal): Promise<readonly ProviderModel[]> {
    return this.models.get(signal);
  }

  onModelsChanged(listener: (models: readonly ProviderModel[]) => void): void {
    this.models.onChange(listener);
  }

  async complete(
    request: ChatCompletionRequest,
    context: ProviderContext,
  ): Promise<ChatCompletion> {
    const answer = await this.send(this.prepare(request), context);
    return answer.completion;
  }

  stream(
    request: ChatCompletionRequest,
    context: ProviderContext,
  ): AsyncIterable<ChatCompletionChunk> {
    // Mapping errors and unknown models surface here, before any byte is sent.
    const prepared = this.prepare(request);
    const answer = this.send(prepared, context).then((result) => result.completion);
    answer.catch(() => undefined);
    return emulateStream(answer, {
      id: `chatcmpl-${randomUUID()}`,
      created: Math.floor(Date.now() / 1000),
      provisionalModel: request.model,
      keepAliveMs: this.config.keepAliveMs,
      includeUsage: request.stream_options?.include_usage === true,
      signal: context.signal,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }

  private prepare(request: ChatCompletionRequest): PreparedCall {
    const target = this.target(request.model);
    const shaping: AnswerShaping = {
      // With tool_choice none no tool was offered, so no reply may be read as a call.
      tools: request.tool_choice === 'none' ? [] : functionTools(request.tools),
      wantsJson: ['json_object', 'json_schema'].includes(
        (request.response_format as { type?: string } | undefined)?.type ?? '',
      ),
      requestedModel: request.model,
    };
    if (hasAttachments(request)) {
      return {
        path: '/v1/prompt/completion',
        body: toStraicoPromptV1Request(request, target),
        shaping,
        parse: fromStraicoPromptV1Response,
      };
    }
    return {
      path: '/v2/chat/completions',
      body: toStraicoChatRequest(request, target),
      shaping,
      parse: fromStraicoChatResponse,
    };
  }

  private target(model: string): StraicoTarget {
    const selector = straicoSelectorMethod(model, this.config.pricingMethod);
    if (selector !== undefined) {
      return { selector };
    }
    // Known unknown: answer 404 with suggestions without spending a Straico call.
    if (this.models.current().length > 0 && !this.models.has(model)) {
      throw modelNotFound(model, this.models.upstreamIds());
    }
    return { model };
  }

  private async send(prepared: PreparedCall, context: ProviderContext): Promise<StraicoAnswer> {
    const answer = await withRetries(
      async () => {
        const response = await this.request('post', prepared.path, prepared.body, context.signal);
        if (response.status >= 300) {
          throw fromStraicoError(
            response.status,
            response.data,
            response.headers,
            this.models.upstreamIds(),
          );
        }
        let body: never;
        try {
          body = JSON.parse(response.data) as never;
        } catch {
          throw ProviderException.badResponse(this.id, 'the answer was not JSON');
        }
        return prepared.parse(body, prepared.shaping);
      },
      this.retryPolicy,
      context.signal,
    );
    context.report?.({
      coins: answer.coins,
      // Straico's selector chose: name the model it used, as GET /v1/models lists it.
      ...(answer.selectionReason
        ? {
            model: `${this.id}/${answer.completion.model}`,
            selectionReason: answer.selectionReason,
          }
        : {}),
    });
    return answer;
  }

  private async request(
    method: 'get' | 'post',
    path: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<AxiosResponse<string>> {
    try {
      return await this.http.request<string>({
        method,
        url: path,
        data: body === undefined ? undefined : JSON.stringify(body),
        responseType: 'text',
        signal,
      });
    } catch (error) {
      throw fromTransportError(this.id, error, this.config.timeoutMs);
    }
  }

  private async fetchModels(signal: AbortSignal): Promise<ProviderModel[]> {
    const response = await this.request('get', '/v2/models', undefined, signal);
    if (response.status >= 400) {
      throw fromStraicoError(response.status, response.data, response.headers, []);
    }
    let entries: StraicoModelEntry[];
    try {
      entries = (JSON.parse(response.data) as { data?: StraicoModelEntry[] }).data ?? [];
    } catch {
      throw ProviderException.badResponse(this.id, 'the model list was not JSON');
    }
    return entries.flatMap((entry) => toProviderModel(entry, this.id) ?? []);
  }
}
