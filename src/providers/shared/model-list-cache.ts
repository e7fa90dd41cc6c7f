import { ProviderModel } from '../chat.types';

/**
 * A provider's model list with a TTL: readers get the last good list at once; a stale list is
 * refreshed by one upstream call however many readers ask, and kept if the refresh fails.
 * `ids` may differ from the listed ids (a provider listing `straico/x` may know it as `x`).
 */
export class ModelListCache {
  private models: readonly ProviderModel[] = [];
  private ids = new Set<string>();
  private fetchedAt?: number;
  private inFlight?: Promise<readonly ProviderModel[]>;
  private readonly listeners: ((models: readonly ProviderModel[]) => void)[] = [];

  constructor(
    private readonly ttlMs: number,
    private readonly fetchModels: (signal: AbortSignal) => Promise<ProviderModel[]>,
    private readonly now: () => number = Date.now,
    private readonly upstreamId: (model: ProviderModel) => string = (model) => model.id,
  ) {}

  /** The upstream's own ids of the cached models. */
  upstreamIds(): string[] {
    return [...this.ids];
  }

  /** Called with every list a refresh fetches, once it is the current one. */
  onChange(listener: (models: readonly ProviderModel[]) => void): void {
    this.listeners.push(listener);
  }

  current(): readonly ProviderModel[] {
    return this.models;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /**
   * The list, fetched on first use. Once there is a list, a stale one is served at once while a
   * refresh runs in the background, so an upstream outage never fails a listing.
   */
  get(signal?: AbortSignal): Promise<readonly ProviderModel[]> {
    if (this.fetchedAt === undefined) {
      return this.refresh(signal);
    }
    if (this.now() - this.fetchedAt >= this.ttlMs) {
      this.refresh().catch(() => undefined);
    }
    return Promise.resolve(this.models);
  }

  refresh(signal: AbortSignal = AbortSignal.timeout(10_000)): Promise<readonly ProviderModel[]> {
    this.inFlight ??= this.fetchModels(signal)
      .then((models) => {
        this.models = models;
        this.ids = new Set(models.map(this.upstreamId));
        this.fetchedAt = this.now();
        for (const listener of this.listeners) {
          listener(models);
        }
        return this.models;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
