import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig } from '../../config/app.config';
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import { Readable } from 'node:stream';
import { Agent, Dispatcher } from 'undici';

import { ProviderException } from '../../common/errors/provider.exception';
import { serializeBody, serializedBodyHeaders } from '../../common/http/json-serialize';
import { ChatProvider, ProviderContext } from '../chat-provider.interface';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ProviderModel,
} from '../chat.types';
import { ModelListCache } from '../shared/model-list-cache';
import { parseSse } from '../shared/sse-parser';
import { createUndiciAdapter } from '../shared/undici-axios-adapter';
import {
  fromTransportError,
  fromUpstreamError,
  normaliseErrorObject,
} from '../shared/upstream-errors';
import { openAiConfig } from './openai.config';
import { OpenAiResponses } from './openai-responses';

const HEALTH_TIMEOUT_MS = 5_000;

/**
 * OpenAI and any server that speaks its API (vLLM, Ollama, LiteLLM, Azure-style proxies).
 * Requests pass through unchanged but for the model id, so fields the gateway does not know
 * (tools, response_format, newer ones) reach the upstream as the client sent them.
 */
@Injectable()
export class OpenAiProvider implements ChatProvider, OnApplicationShutdown {
  readonly id = 'openai';
  readonly acceptsUnlistedModels = true;
  private readonly dispatcher: Agent;
  private readonly http: AxiosInstance;
  private readonly models: ModelListCache;
  private readonly timeoutMs: number;
  private readonly timeouts: { firstByteMs: number; idleMs: number; totalMs: number };
  private readonly chatEndpoint: URL;
  private readonly upstreamHeaders: Record<string, string>;
  readonly responses: OpenAiResponses;
  private readonly basePath: string;

  constructor(
    @Inject(openAiConfig.KEY) private readonly config: ConfigType<typeof openAiConfig>,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
  ) {
    this.timeoutMs = app.upstreamTimeoutMs;
    this.timeouts = {
      firstByteMs: config.timeouts.firstByteMs ?? app.upstreamTimeoutMs,
      idleMs: config.timeouts.idleMs ?? app.upstreamTimeoutMs,
      totalMs: config.timeouts.totalMs,
    };
    this.dispatcher = new Agent({
      connections: config.maxConnections,
      keepAliveTimeout: 30_000,
      connect: { timeout: config.timeouts.connectMs },
    });
    this.chatEndpoint = new URL(`${config.baseUrl}/chat/completions`);
    this.basePath = new URL(config.baseUrl).pathname.replace(/\/+$/, '');
    this.upstreamHeaders = {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
    };
    this.http = axios.create({
      baseURL: config.baseUrl,
      adapter: createUndiciAdapter(this.dispatcher),
      timeout: this.timeoutMs,
      headers: this.upstreamHeaders,
      // Status and body are judged here, once, so that errors keep the upstream's own message.
      validateStatus: () => true,
      transformResponse: [],
    });
    this.models = new ModelListCache(config.modelsCacheTtlMs, (signal) => this.fetchModels(signal));
    this.responses = new OpenAiResponses(this.id, config.responsesApi, {
      post: (body, context, path) => this.post(body, context, path),
      transportError: (error, context) => this.transportError(error, context),
    });
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

  async embed(model: string, input: string[], signal?: AbortSignal): Promise<number[][]> {
    const response = await this.http
      .post<string>('/embeddings', { model, input, encoding_format: 'float' }, { signal })
      .catch((error: unknown) => {
        throw fromTransportError(this.id, error, this.timeoutMs);
      });
    if (response.status >= 400) {
      throw fromUpstreamError(this.id, response.status, response.data, response.headers);
    }
    const vectors = parseEmbeddings(response.data, input.length);
    if (vectors === undefined) {
      throw ProviderException.badResponse(this.id, 'the embeddings answer was not understood');
    }
    return vectors;
  }

  async complete(
    request: ChatCompletionRequest,
    context: ProviderContext,
  ): Promise<ChatCompletion> {
    const response = await this.post(request, context);
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw this.transportError(error, context);
    }
    if (response.statusCode >= 400) {
      throw fromUpstreamError(this.id, response.statusCode, text, response.headers);
    }
    try {
      return JSON.parse(text) as ChatCompletion;
    } catch {
      throw ProviderException.badResponse(this.id, 'the completion was not JSON');
    }
  }

  async *stream(
    request: ChatCompletionRequest,
    context: ProviderContext,
  ): AsyncGenerator<ChatCompletionChunk> {
    const response = await this.post(request, context);
    const body = response.body;
    try {
      if (response.statusCode >= 400) {
        throw fromUpstreamError(this.id, response.statusCode, await body.text(), response.headers);
      }
      for await (const event of parseSse(body)) {
        if (event.data === '[DONE]') {
          return;
        }
        yield this.parseChunk(event.data);
      }
      throw ProviderException.badResponse(this.id, 'the stream ended before [DONE]');
    } catch (error) {
      throw this.transportError(error, context);
    } finally {
      body.destroy();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }

  /**
   * Chat requests go to undici directly rather than through axios: measured on this project's
   * benchmark, axios's per-request config merging and header normalisation cost ~20% of the
   * gateway's CPU per request even on the undici adapter. axios serves the control plane.
   */
  private async post(
    request: unknown,
    context: ProviderContext,
    path?: string,
  ): Promise<Dispatcher.ResponseData> {
    const { firstByteMs, idleMs, totalMs } = this.timeouts;
    const signal =
      totalMs > 0
        ? AbortSignal.any([context.signal, AbortSignal.timeout(totalMs)])
        : context.signal;
    try {
      const body = await serializeBody(request as object);
      return await this.dispatcher.request({
        origin: this.chatEndpoint.origin,
        path: path ? `${this.basePath}${path}` : this.chatEndpoint.pathname,
        method: 'POST',
        headers: {
          ...this.upstreamHeaders,
          'x-request-id': context.requestId,
          ...(context.traceparent ? { traceparent: context.traceparent } : {}),
          ...serializedBodyHeaders(body),
        },
        body: typeof body === 'string' ? body : Readable.from(body),
        signal,
        headersTimeout: firstByteMs,
        bodyTimeout: idleMs,
      });
    } catch (error) {
      throw this.transportError(error, context);
    }
  }

  /** Which limit an upstream failure hit: the total deadline, or the first-byte/idle ones. */
  private transportError(error: unknown, context: ProviderContext): Error {
    const { firstByteMs, idleMs, totalMs } = this.timeouts;
    if (totalMs > 0 && !context.signal.aborted && isTimeout(error)) {
      return ProviderException.timeout(this.id, totalMs);
    }
    const code = (error as { code?: string })?.code;
    return fromTransportError(
      this.id,
      error,
      code === 'UND_ERR_BODY_TIMEOUT' ? idleMs : firstByteMs,
    );
  }

  private parseChunk(data: string): ChatCompletionChunk {
    let chunk: ChatCompletionChunk & { error?: unknown };
    try {
      chunk = JSON.parse(data) as ChatCompletionChunk & { error?: unknown };
    } catch {
      throw ProviderException.badResponse(this.id, 'a stream event was not JSON');
    }
    if (chunk.error && typeof chunk.error === 'object') {
      const body = normaliseErrorObject(chunk.error as Record<string, unknown>, 502);
      throw new ProviderException(this.id, 'upstream_error', 502, body, false);
    }
    return chunk;
  }

  private async fetchModels(signal: AbortSignal): Promise<ProviderModel[]> {
    let response: AxiosResponse<string>;
    try {
      response = await this.http.get<string>('/models', {
        responseType: 'text',
        signal,
        timeout: HEALTH_TIMEOUT_MS,
      });
    } catch (error) {
      throw fromTransportError(this.id, error, HEALTH_TIMEOUT_MS);
    }
    if (response.status >= 400) {
      throw fromUpstreamError(this.id, response.status, response.data, response.headers);
    }
    try {
      const list = JSON.parse(response.data) as { data?: ProviderModel[] };
      return (list.data ?? []).map((model) => ({ ...model, object: 'model' as const }));
    } catch {
      throw ProviderException.badResponse(this.id, 'the model list was not JSON');
    }
  }
}

/** AbortSignal.timeout() aborts with a TimeoutError; undici passes that reason on. */
function isTimeout(error: unknown): boolean {
  const name = (error as Error)?.name;
  const causeName = (error as { cause?: Error })?.cause?.name;
  return name === 'TimeoutError' || causeName === 'TimeoutError';
}

/** The vectors of an `/embeddings` answer in input order, or undefined if it is malformed. */
function parseEmbeddings(text: string, expected: number): number[][] | undefined {
  try {
    const body = JSON.parse(text) as { data?: Array<{ index?: number; embedding?: unknown }> };
    const data = [...(body.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    const vectors = data.map((item) => item.embedding);
    return vectors.length === expected &&
      vectors.every((v) => Array.isArray(v) && v.every((x) => typeof x === 'number'))
      ? vectors
      : undefined;
  } catch {
    return undefined;
  }
}
