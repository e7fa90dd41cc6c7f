import { Logger } from '@nestjs/common';

import { ProviderRegistry } from './provider-registry.service';
import { model, stubProvider } from './testing/stub-provider';

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
