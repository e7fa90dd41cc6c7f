import { ProviderModel } from '../chat.types';

/**
 * A provider's model list with a TTL: readers get the last good list at once; a stale list is
 * refreshed by one upstream call however many readers ask, and kept if the refresh fails.
 */
export class ModelListCache {
  private models: readonly ProviderModel[] = [];
  private ids = new Set<string>();
  private fetchedAt?: number;
  private inFlight?: Promise<readonly ProviderModel[]>;

  constructor(
    private readonly ttlMs: number,
    private readonly fetchModels: (signal: AbortSignal) => Promise<ProviderModel[]>,
    private readonly now: () => number = Date.now,
  ) {}

  current(): readonly ProviderModel[] {
    return this.models;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get(signal?: AbortSignal): Promise<readonly ProviderModel[]> {
    if (this.fetchedAt !== undefined && this.now() - this.fetchedAt < this.ttlMs) {
      return Promise.resolve(this.models);
    }
    return this.refresh(signal);
  }

  refresh(signal: AbortSignal = AbortSignal.timeout(10_000)): Promise<readonly ProviderModel[]> {
    this.inFlight ??= this.fetchModels(signal)
      .then((models) => {
        this.models = models;
        this.ids = new Set(models.map((model) => model.id));
        this.fetchedAt = this.now();
        return this.models;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
