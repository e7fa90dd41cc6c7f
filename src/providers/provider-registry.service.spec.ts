import { Logger } from '@nestjs/common';

import { GatewayException } from '../common/errors/gateway.exception';
import { ChatProvider } from './chat-provider.interface';
import { ProviderModel } from './chat.types';
import { ProviderRegistry } from './provider-registry.service';

interface StubOptions {
  enabled?: boolean;
  models?: string[];
  acceptsUnlistedModels?: boolean;
  /** listModels() rejects with this error instead of answering the models. */
  listError?: Error;
}

interface StubProvider extends ChatProvider {
  listModelsCalls: number;
}

function model(id: string, owner: string): ProviderModel {
  return { id, object: 'model', created: 1_700_000_000, owned_by: owner };
}

function stubProvider(id: string, options: StubOptions = {}): StubProvider {
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

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('ProviderRegistry', () => {
  describe('construction', () => {
    it('should throw when two providers share an id', () => {
      expect(() => new ProviderRegistry([stubProvider('openai'), stubProvider('openai')])).toThrow(
        'Two chat providers are registered with the id "openai"',
      );
    });

    it('should list only enabled providers, in registration order', () => {
      const registry = new ProviderRegistry([
        stubProvider('a'),
        stubProvider('off', { enabled: false }),
        stubProvider('b'),
      ]);
      expect(registry.enabled().map((provider) => provider.id)).toEqual(['a', 'b']);
    });
  });

  describe('resolve', () => {
    it('should keep a prefixed id whole when the provider lists it that way', () => {
      const router = stubProvider('openai', {
        models: ['openai/gpt-4o'],
        acceptsUnlistedModels: true,
      });
      const registry = new ProviderRegistry([router]);
      expect(registry.resolve('openai/gpt-4o').upstreamModel).toBe('openai/gpt-4o');
      expect(registry.resolve('openai/gpt-4o-mini').upstreamModel).toBe('gpt-4o-mini');
    });

    const openai = stubProvider('openai', {
      models: ['gpt-4o-mini', 'gpt-4o'],
      acceptsUnlistedModels: true,
    });
    const ollama = stubProvider('ollama', { models: ['llama3.2', 'qwen2.5:7b'] });
    const local = stubProvider('local', { models: ['meta-llama/Llama-3.1-8B'] });
    const off = stubProvider('off', {
      enabled: false,
      models: ['secret-model'],
      acceptsUnlistedModels: true,
    });
    let registry: ProviderRegistry;

    beforeEach(() => {
      registry = new ProviderRegistry([off, ollama, openai, local]);
    });

    it('should route a provider/model id to that provider and strip the prefix', () => {
      expect(registry.resolve('ollama/llama3.2')).toEqual({
        provider: ollama,
        upstreamModel: 'llama3.2',
      });
      expect(registry.resolve('openai/gpt-4o')).toEqual({
        provider: openai,
        upstreamModel: 'gpt-4o',
      });
    });

    it('should route a prefixed id even when the provider does not list the model', () => {
      expect(registry.resolve('ollama/unlisted')).toEqual({
        provider: ollama,
        upstreamModel: 'unlisted',
      });
    });

    it('should strip only the first prefix segment', () => {
      expect(registry.resolve('openai/org/model-x')).toEqual({
        provider: openai,
        upstreamModel: 'org/model-x',
      });
    });

    it('should send a bare id to the provider that lists it', () => {
      expect(registry.resolve('qwen2.5:7b')).toEqual({
        provider: ollama,
        upstreamModel: 'qwen2.5:7b',
      });
      expect(registry.resolve('gpt-4o-mini')).toEqual({
        provider: openai,
        upstreamModel: 'gpt-4o-mini',
      });
    });

    it('should treat a slash id whose prefix is not a provider as a bare id', () => {
      expect(registry.resolve('meta-llama/Llama-3.1-8B')).toEqual({
        provider: local,
        upstreamModel: 'meta-llama/Llama-3.1-8B',
      });
    });

    it('should treat a leading slash as part of a bare id', () => {
      expect(registry.resolve('/ollama')).toEqual({ provider: openai, upstreamModel: '/ollama' });
    });

    it('should send an unlisted id to the first enabled provider that accepts unlisted models', () => {
      expect(registry.resolve('gpt-5-preview')).toEqual({
        provider: openai,
        upstreamModel: 'gpt-5-preview',
      });
    });

    it('should prefer the first listing provider when several list the model', () => {
      const first = stubProvider('first', { models: ['shared'] });
      const second = stubProvider('second', { models: ['shared'], acceptsUnlistedModels: true });
      expect(new ProviderRegistry([first, second]).resolve('shared').provider).toBe(first);
    });

    it('should never choose a disabled provider by listing or as fallback', () => {
      expect(registry.resolve('secret-model').provider).toBe(openai);
      expect(registry.resolve('anything').provider).not.toBe(off);
    });

    it('should answer model_not_found for a prefix naming a disabled provider', () => {
      const error = thrownBy(() => registry.resolve('off/secret-model'));
      expect(error).toBeInstanceOf(GatewayException);
      expect((error as GatewayException).getStatus()).toBe(404);
      expect((error as GatewayException).body.code).toBe('model_not_found');
      expect((error as GatewayException).body.param).toBe('model');
    });

    it('should answer model_not_found when no enabled provider lists or accepts the model', () => {
      const strict = new ProviderRegistry([ollama, off]);
      const error = thrownBy(() => strict.resolve('gpt-4o')) as GatewayException;
      expect(error).toBeInstanceOf(GatewayException);
      expect(error.getStatus()).toBe(404);
      expect(error.body.message).toContain('`gpt-4o`');
    });

    it('should answer 503 no_provider_available when no provider is enabled', () => {
      for (const providers of [[], [off]]) {
        const error = thrownBy(() => new ProviderRegistry(providers).resolve('gpt-4o'));
        expect(error).toBeInstanceOf(GatewayException);
        expect((error as GatewayException).getStatus()).toBe(503);
        expect((error as GatewayException).body.code).toBe('no_provider_available');
      }
    });
  });

  describe('model lists that failed to load', () => {
    it('should retry loading an empty model list in the background when a lookup misses', () => {
      const empty = stubProvider('straico');
      const registry = new ProviderRegistry([empty]);
      expect(() => registry.resolve('anthropic/claude-3-haiku:beta')).toThrow();
      expect(() => registry.resolve('anthropic/claude-3-haiku:beta')).toThrow();
      // A second miss right after does not fetch again.
      expect(empty.listModelsCalls).toBe(1);
    });

    it('should route a listed id whose prefix names a disabled provider to its lister', () => {
      const openai = stubProvider('openai', { enabled: false, acceptsUnlistedModels: true });
      const straico = stubProvider('straico', { models: ['openai/gpt-4o-mini'] });
      const registry = new ProviderRegistry([openai, straico]);
      const route = registry.resolve('openai/gpt-4o-mini');
      expect(route.provider).toBe(straico);
      expect(route.upstreamModel).toBe('openai/gpt-4o-mini');
    });
  });

  describe('listModels', () => {
    it('should concatenate the models of every enabled provider', async () => {
      const registry = new ProviderRegistry([
        stubProvider('a', { models: ['a1', 'a2'] }),
        stubProvider('off', { enabled: false, models: ['hidden'] }),
        stubProvider('b', { models: ['b1'] }),
      ]);
      const models = await registry.listModels();
      expect(models.map((entry) => entry.id)).toEqual(['a1', 'a2', 'b1']);
    });

    it('should fall back to the cached models of a provider whose refresh fails', async () => {
      const failing = stubProvider('flaky', {
        models: ['cached-1'],
        listError: new Error('upstream down'),
      });
      const healthy = stubProvider('ok', { models: ['fresh-1'] });
      const registry = new ProviderRegistry([failing, healthy]);
      await expect(registry.listModels()).resolves.toEqual([
        model('cached-1', 'flaky'),
        model('fresh-1', 'ok'),
      ]);
      expect(failing.listModelsCalls).toBe(1);
    });

    it('should not call listModels on a disabled provider', async () => {
      const off = stubProvider('off', { enabled: false, models: ['x'] });
      await new ProviderRegistry([off, stubProvider('on')]).listModels();
      expect(off.listModelsCalls).toBe(0);
    });
  });

  describe('findModel', () => {
    it('should find a bare id that a provider lists under its own prefix', async () => {
      const straico = stubProvider('straico', {
        models: ['straico/anthropic/claude-3-haiku:beta'],
      });
      straico.hasModel = (id) => id === 'anthropic/claude-3-haiku:beta';
      const registry = new ProviderRegistry([straico]);
      await expect(registry.findModel('anthropic/claude-3-haiku:beta')).resolves.toMatchObject({
        id: 'straico/anthropic/claude-3-haiku:beta',
      });
    });

    const registry = new ProviderRegistry([
      stubProvider('openai', { models: ['gpt-4o'], acceptsUnlistedModels: true }),
      stubProvider('ollama', { models: ['llama3.2', 'ollama/odd-name'] }),
    ]);

    it('should find a model by its exact id', async () => {
      await expect(registry.findModel('llama3.2')).resolves.toEqual(model('llama3.2', 'ollama'));
    });

    it('should find a model by provider/model id', async () => {
      await expect(registry.findModel('openai/gpt-4o')).resolves.toEqual(model('gpt-4o', 'openai'));
    });

    it('should prefer an exact id that itself contains a slash', async () => {
      await expect(registry.findModel('ollama/odd-name')).resolves.toEqual(
        model('ollama/odd-name', 'ollama'),
      );
    });

    it('should answer undefined for an unknown id, prefixed or not', async () => {
      await expect(registry.findModel('gpt-9')).resolves.toBeUndefined();
      await expect(registry.findModel('openai/llama3.2')).resolves.toBeUndefined();
      await expect(registry.findModel('nobody/gpt-4o')).resolves.toBeUndefined();
    });
  });

  describe('onApplicationBootstrap', () => {
    it('should warm every enabled provider and only log a failing one', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      try {
        const good = stubProvider('good');
        const bad = stubProvider('bad', { listError: new Error('ECONNREFUSED') });
        const off = stubProvider('off', { enabled: false });
        new ProviderRegistry([good, bad, off]).onApplicationBootstrap();
        await new Promise((resolve) => setImmediate(resolve));
        expect(good.listModelsCalls).toBe(1);
        expect(bad.listModelsCalls).toBe(1);
        expect(off.listModelsCalls).toBe(0);
        expect(warn).toHaveBeenCalledTimes(1);
        expect(warn).toHaveBeenCalledWith(
          { provider: 'bad', err: 'ECONNREFUSED' },
          'Could not list models',
        );
      } finally {
        warn.mockRestore();
      }
    });
  });
});
