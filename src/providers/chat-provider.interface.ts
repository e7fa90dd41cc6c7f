import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ProviderModel,
} from './chat.types';
import type { ResponseObject, ResponsesRequest, ResponseStreamEvent } from './responses.types';

/** Per-request facts a provider needs; nothing in it outlives the request. */
export interface ProviderContext {
  /** Aborts the upstream call when the client goes away or the gateway gives up. */
  readonly signal: AbortSignal;
  readonly requestId: string;
  /** The caller's W3C `traceparent`, when well-formed: passed on so the trace continues upstream. */
  readonly traceparent?: string;
  /**
   * Called once the upstream has answered, with facts only it knows (an upstream selector's
   * pick and why, the cost); for an emulated stream that is after the first chunks went out.
   */
  readonly report?: (facts: UpstreamFacts) => void;
}

/** What an upstream says about its answer beyond the answer itself. */
export interface UpstreamFacts {
  /** The public id of the model the upstream's own selector chose (as GET /v1/models lists it). */
  model?: string;
  selectionReason?: string;
  /** Straico's price of the answer, in coins. */
  coins?: number;
}

/**
 * One upstream LLM API behind the gateway. Implementations are stateless singletons: all
 * per-request data arrives as arguments.
 */
export interface ChatProvider {
  /** Routing prefix and registry key, e.g. "openai" for `openai/gpt-4o`. */
  readonly id: string;
  /** False when the provider is not configured; disabled providers are never routed to. */
  isEnabled(): boolean;
  /** Models the upstream serves, from a cache; never blocks a request on the network. */
  cachedModels(): readonly ProviderModel[];
  /** Whether the cached list names this upstream model id. */
  hasModel(modelId: string): boolean;
  /** Whether a model the upstream does not list may still be sent to it (OpenAI-compatible). */
  readonly acceptsUnlistedModels: boolean;
  /** Whether the upstream can pick a model itself for `auto` requests (Straico's selector). */
  readonly selectsModels?: boolean;
  /**
   * The provider retries its own transient failures (Straico does, so that an emulated stream
   * keeps its keep-alives going while it retries); routing then does not retry on top.
   */
  readonly retriesInternally?: boolean;
  /** Refreshes the model list from the upstream; used at boot, on TTL expiry and by /v1/models. */
  listModels(signal?: AbortSignal): Promise<readonly ProviderModel[]>;
  /** Calls `listener` with each newly fetched list (a selector's models join the catalog). */
  onModelsChanged?(listener: (models: readonly ProviderModel[]) => void): void;
  /** `request.model` is already the upstream's own model id. */
  complete(request: ChatCompletionRequest, context: ProviderContext): Promise<ChatCompletion>;
  /** Yields OpenAI `chat.completion.chunk` objects; ends after the upstream's last chunk. */
  stream(
    request: ChatCompletionRequest,
    context: ProviderContext,
  ): AsyncIterable<ChatCompletionChunk>;
  /**
   * OpenAI `/embeddings`: one vector per input, in order. Only OpenAI-compatible upstreams
   * have it; memory uses it for hybrid ranking when MEMORY_EMBEDDINGS_MODEL is set.
   */
  embed?(model: string, input: string[], signal?: AbortSignal): Promise<number[][]>;
  /**
   * The OpenAI Responses API, for upstreams that serve it themselves (OpenAI). Without it the
   * gateway translates Responses to and from Chat Completions.
   */
  readonly responses?: NativeResponses;
}

/** `POST /responses` on the upstream, passed through; `request.model` is the upstream's id. */
export interface NativeResponses {
  /** False when configured off, or once the upstream turned out not to have `/responses`. */
  serves(): boolean;
  /** Throws ResponsesNotServedError when the upstream has no `/responses` after all. */
  create(request: ResponsesRequest, context: ProviderContext): Promise<ResponseObject>;
  /** The upstream's events as they come; the same error before the first one. */
  stream(request: ResponsesRequest, context: ProviderContext): AsyncIterable<ResponseStreamEvent>;
}

/** The upstream answered `/responses` with "no such route": translate instead (remembered). */
export class ResponsesNotServedError extends Error {
  constructor(providerId: string) {
    super(`The upstream of provider "${providerId}" does not serve /responses`);
    this.name = 'ResponsesNotServedError';
  }
}
