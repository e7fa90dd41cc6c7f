import { GatewayException } from '../common/errors/gateway.exception';
import { ProviderRegistry } from './provider-registry.service';
import { stubProvider, thrownBy } from './testing/stub-provider';

describe('ProviderRegistry', () => {
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
});
