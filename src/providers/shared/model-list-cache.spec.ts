import { deferred } from '../../common/testing/deferred';
import { ProviderModel } from '../chat.types';
import { ModelListCache } from './model-list-cache';

const TTL_MS = 60_000;

function models(...ids: string[]): ProviderModel[] {
  return ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' }));
}

describe('ModelListCache', () => {
  let clock: number;
  let fetchModels: jest.Mock<Promise<ProviderModel[]>, [AbortSignal]>;
  let cache: ModelListCache;

  beforeEach(() => {
    clock = 1_000_000;
    fetchModels = jest.fn<Promise<ProviderModel[]>, [AbortSignal]>();
    cache = new ModelListCache(TTL_MS, fetchModels, () => clock);
  });

  it('should start empty without fetching', () => {
    expect(cache.current()).toEqual([]);
    expect(cache.has('gpt-4o')).toBe(false);
    expect(fetchModels).not.toHaveBeenCalled();
  });

  it('should fetch on the first get and index the ids', async () => {
    fetchModels.mockResolvedValueOnce(models('gpt-4o', 'gpt-4o-mini'));
    await expect(cache.get()).resolves.toEqual(models('gpt-4o', 'gpt-4o-mini'));
    expect(fetchModels).toHaveBeenCalledTimes(1);
    expect(cache.current()).toEqual(models('gpt-4o', 'gpt-4o-mini'));
    expect(cache.has('gpt-4o-mini')).toBe(true);
    expect(cache.has('gpt-3')).toBe(false);
  });

  it('should tell its listeners each list it fetches, and nothing when a refresh fails', async () => {
    const heard: (readonly ProviderModel[])[] = [];
    cache.onChange((listed) => heard.push(listed));
    fetchModels.mockResolvedValueOnce(models('a')).mockRejectedValueOnce(new Error('down'));
    await cache.refresh();
    await expect(cache.refresh()).rejects.toThrow('down');
    expect(heard).toEqual([models('a')]);
  });

  it('should serve the cached list without refetching within the TTL', async () => {
    fetchModels.mockResolvedValueOnce(models('a'));
    const first = await cache.get();
    clock += TTL_MS - 1;
    const second = await cache.get();
    expect(second).toBe(first);
    expect(fetchModels).toHaveBeenCalledTimes(1);
  });

  it('should serve a stale list at once and refresh it in the background', async () => {
    const refreshed = deferred<ProviderModel[]>();
    fetchModels.mockResolvedValueOnce(models('old')).mockReturnValueOnce(refreshed.promise);
    await cache.get();
    clock += TTL_MS;
    await expect(cache.get()).resolves.toEqual(models('old'));
    expect(fetchModels).toHaveBeenCalledTimes(2);
    refreshed.resolve(models('new'));
    await refreshed.promise;
    await Promise.resolve();
    expect(cache.has('old')).toBe(false);
    expect(cache.has('new')).toBe(true);
  });

  it('should measure the TTL from when the fetch completed', async () => {
    const slow = deferred<ProviderModel[]>();
    fetchModels.mockReturnValueOnce(slow.promise);
    const pending = cache.get();
    clock += 30_000;
    slow.resolve(models('a'));
    await pending;
    clock += TTL_MS - 1;
    await cache.get();
    expect(fetchModels).toHaveBeenCalledTimes(1);
  });

  it('should share one fetch between concurrent get calls', async () => {
    const upstream = deferred<ProviderModel[]>();
    fetchModels.mockReturnValue(upstream.promise);
    const readers = [cache.get(), cache.get(), cache.get()];
    expect(fetchModels).toHaveBeenCalledTimes(1);
    upstream.resolve(models('shared'));
    const results = await Promise.all(readers);
    expect(results).toEqual([models('shared'), models('shared'), models('shared')]);
    expect(results[1]).toBe(results[0]);
  });

  it('should share one fetch between refresh and get while a refresh is in flight', async () => {
    const upstream = deferred<ProviderModel[]>();
    fetchModels.mockReturnValue(upstream.promise);
    const refreshing = cache.refresh();
    const reading = cache.get();
    upstream.resolve(models('x'));
    await expect(Promise.all([refreshing, reading])).resolves.toEqual([models('x'), models('x')]);
    expect(fetchModels).toHaveBeenCalledTimes(1);
  });

  it('should start a new fetch after the shared one settled', async () => {
    fetchModels.mockResolvedValueOnce(models('a')).mockResolvedValueOnce(models('b'));
    await cache.refresh();
    await expect(cache.refresh()).resolves.toEqual(models('b'));
    expect(fetchModels).toHaveBeenCalledTimes(2);
  });

  it('should keep serving the old list when a background refresh fails', async () => {
    fetchModels
      .mockResolvedValueOnce(models('kept'))
      .mockRejectedValueOnce(new Error('upstream down'));
    await cache.get();
    clock += TTL_MS;
    await expect(cache.get()).resolves.toEqual(models('kept'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.current()).toEqual(models('kept'));
    expect(cache.has('kept')).toBe(true);
  });

  it('should reject an explicit refresh that fails, keeping the old list', async () => {
    fetchModels
      .mockResolvedValueOnce(models('v1'))
      .mockRejectedValueOnce(new Error('upstream down'))
      .mockResolvedValueOnce(models('v2'));
    await cache.get();
    await expect(cache.refresh()).rejects.toThrow('upstream down');
    expect(cache.has('v1')).toBe(true);
    await expect(cache.refresh()).resolves.toEqual(models('v2'));
    expect(fetchModels).toHaveBeenCalledTimes(3);
  });

  it('should index models by their upstream id when told how', async () => {
    const prefixed = new ModelListCache(
      TTL_MS,
      fetchModels,
      () => clock,
      (model) => model.id.replace(/^straico\//, ''),
    );
    fetchModels.mockResolvedValueOnce(models('straico/anthropic/claude-3-haiku:beta'));
    await prefixed.get();
    expect(prefixed.has('anthropic/claude-3-haiku:beta')).toBe(true);
    expect(prefixed.upstreamIds()).toEqual(['anthropic/claude-3-haiku:beta']);
  });

  it('should reject every concurrent reader of a failed fetch', async () => {
    const upstream = deferred<ProviderModel[]>();
    fetchModels.mockReturnValue(upstream.promise);
    const readers = [cache.get(), cache.get()];
    upstream.reject(new Error('boom'));
    await expect(readers[0]).rejects.toThrow('boom');
    await expect(readers[1]).rejects.toThrow('boom');
    expect(fetchModels).toHaveBeenCalledTimes(1);
    expect(cache.current()).toEqual([]);
  });

  it('should pass the caller signal to the fetch, or a default one', async () => {
    fetchModels.mockResolvedValue(models('a'));
    const controller = new AbortController();
    await cache.refresh(controller.signal);
    expect(fetchModels).toHaveBeenLastCalledWith(controller.signal);
    await cache.refresh();
    const defaultSignal = fetchModels.mock.calls[1][0];
    expect(defaultSignal).toBeInstanceOf(AbortSignal);
    expect(defaultSignal.aborted).toBe(false);
  });
});
