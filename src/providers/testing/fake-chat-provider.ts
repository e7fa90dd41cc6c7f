import { ChatProvider, ProviderContext, UpstreamFacts } from '../chat-provider.interface';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ProviderModel,
} from '../chat.types';

/** One scripted answer: what the upstream says, or the error it fails with. */
export type FakeStep = Error | { content?: string; facts?: UpstreamFacts };

export interface FakeProviderOptions {
  models?: string[];
  enabled?: boolean;
  acceptsUnlistedModels?: boolean;
  selectsModels?: boolean;
  retriesInternally?: boolean;
}

/**
 * An in-memory ChatProvider for unit specs: answers from a script (then "ok"), records every
 * call, and reports its scripted facts as a real upstream does once it has answered.
 */
export class FakeChatProvider implements ChatProvider {
  readonly calls: { request: ChatCompletionRequest; context: ProviderContext }[] = [];
  readonly acceptsUnlistedModels: boolean;
  readonly selectsModels?: boolean;
  readonly retriesInternally?: boolean;
  private readonly script: FakeStep[] = [];
  private readonly models: ProviderModel[];
  private readonly listeners: ((models: readonly ProviderModel[]) => void)[] = [];

  constructor(
    readonly id: string,
    private readonly options: FakeProviderOptions = {},
  ) {
    this.acceptsUnlistedModels = options.acceptsUnlistedModels ?? true;
    this.selectsModels = options.selectsModels;
    this.retriesInternally = options.retriesInternally;
    this.models = (options.models ?? []).map((model) => ({
      id: `${id}/${model}`,
      object: 'model',
      created: 1_700_000_000,
      owned_by: id,
    }));
  }

  /** The next calls' outcomes, in order. */
  answers(...steps: FakeStep[]): this {
    this.script.push(...steps);
    return this;
  }

  /** Announces a new model list, as a refresh of the upstream's list does. */
  announce(models: ProviderModel[]): void {
    this.listeners.forEach((listener) => listener(models));
  }

  isEnabled(): boolean {
    return this.options.enabled ?? true;
  }

  cachedModels(): readonly ProviderModel[] {
    return this.models;
  }

  hasModel(modelId: string): boolean {
    return this.models.some((model) => model.id === `${this.id}/${modelId}`);
  }

  listModels(): Promise<readonly ProviderModel[]> {
    return Promise.resolve(this.models);
  }

  onModelsChanged(listener: (models: readonly ProviderModel[]) => void): void {
    this.listeners.push(listener);
  }

  complete(request: ChatCompletionRequest, context: ProviderContext): Promise<ChatCompletion> {
    this.calls.push({ request, context });
    const step = this.script.shift() ?? {};
    if (step instanceof Error) {
      return Promise.reject(step);
    }
    if (step.facts) {
      context.report?.(step.facts);
    }
    return Promise.resolve(completion(request.model, step.content ?? 'ok'));
  }

  async *stream(
    request: ChatCompletionRequest,
    context: ProviderContext,
  ): AsyncGenerator<ChatCompletionChunk> {
    this.calls.push({ request, context });
    const step = this.script.shift() ?? {};
    if (step instanceof Error) {
      throw step;
    }
    for (const word of (step.content ?? 'ok').split(' ')) {
      // A chunk per turn of the event loop, as from a socket.
      yield await Promise.resolve(chunk(request.model, word));
    }
    // Like Straico's emulated stream: what the upstream chose is known only at the end.
    if (step.facts) {
      context.report?.(step.facts);
    }
  }
}

function completion(model: string, content: string): ChatCompletion {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  };
}

function chunk(model: string, content: string): ChatCompletionChunk {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  };
}
