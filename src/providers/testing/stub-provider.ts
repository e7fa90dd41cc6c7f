import { ChatProvider } from '../chat-provider.interface';
import { ProviderModel } from '../chat.types';

export interface StubOptions {
  enabled?: boolean;
  models?: string[];
  acceptsUnlistedModels?: boolean;
  /** listModels() rejects with this error instead of answering the models. */
  listError?: Error;
}

export interface StubProvider extends ChatProvider {
  listModelsCalls: number;
}

export function model(id: string, owner: string): ProviderModel {
  return { id, object: 'model', created: 1_700_000_000, owned_by: owner };
}

export function stubProvider(id: string, options: StubOptions = {}): StubProvider {
  const models = (options.models ?? []).map((modelId) => model(modelId, id));
  const stub: StubProvider = {
    id,
    acceptsUnlistedModels: options.acceptsUnlistedModels ?? false,
    listModelsCalls: 0,
    isEnabled: () => options.enabled ?? true,
    cachedModels: () => models,
    hasModel: (modelId) => models.some((entry) => entry.id === modelId),
    listModels: () => {
      stub.listModelsCalls += 1;
      return options.listError ? Promise.reject(options.listError) : Promise.resolve(models);
    },
    complete: () => Promise.reject(new Error('not used in these tests')),
    stream: () => {
      throw new Error('not used in these tests');
    },
  };
  return stub;
}

export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}
