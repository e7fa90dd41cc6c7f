import { DiscoveredModel, DiscoveryOptions, fromDiscovered } from './discovered-model';
import { catalogProblems } from './model-catalog.checks';
import { CatalogModel } from './model-catalog.types';

/**
 * The models the gateway knows: the catalog file (or the built-in one) plus models discovered
 * at run time. Names resolve in this order: a public id, an alias, then `provider/upstreamId`
 * (so `openai/gpt-4o` and a keys file listing it find the catalog entry).
 */
export class ModelCatalog {
  private readonly models = new Map<string, CatalogModel>();
  private readonly names = new Map<string, string>();
  /** Entries from the file: discovery never replaces these. */
  private readonly configured = new Set<string>();

  constructor(models: readonly CatalogModel[]) {
    const problems = catalogProblems(models);
    if (problems.length > 0) {
      throw new Error(`Invalid model catalog: ${problems.join('; ')}`);
    }
    const copies = models.map((model) => structuredClone(model));
    copies.forEach((model) => this.put(model));
    // Qualified names come second so that they never shadow another model's id or alias.
    copies.forEach((model) => this.addQualifiedName(model));
    copies.forEach((model) => this.configured.add(model.id));
  }

  /** The public id `name` stands for, or undefined when the catalog does not know it. */
  resolveAlias(name: string): string | undefined {
    return this.names.get(name);
  }

  /** The model with this public id or alias. */
  get(name: string): CatalogModel | undefined {
    const id = this.resolveAlias(name);
    return id === undefined ? undefined : this.models.get(id);
  }

  all(): CatalogModel[] {
    return [...this.models.values()];
  }

  /**
   * Adds run-time models (Straico's list) and refreshes ones added before. A discovered model
   * never replaces a configured entry nor takes one of its names: the operator's file wins.
   * Returns how many entries were added or refreshed.
   */
  addDiscovered(entries: readonly DiscoveredModel[], options: DiscoveryOptions = {}): number {
    let count = 0;
    for (const entry of entries) {
      const model = typeof entry?.id === 'string' ? fromDiscovered(entry, options) : null;
      if (model === null) {
        continue;
      }
      const owner = this.resolveAlias(model.id);
      if (owner !== undefined && this.configured.has(owner)) {
        continue;
      }
      this.put(model);
      this.addQualifiedName(model);
      count += 1;
    }
    return count;
  }

  /**
   * The models to try after `name` fails, in the catalog's order: aliases resolved, unknown
   * names, repeats and the model itself skipped. The model itself is not in the list.
   */
  fallbackChain(name: string): CatalogModel[] {
    const model = this.get(name);
    if (!model) {
      return [];
    }
    const chain: CatalogModel[] = [];
    for (const fallback of model.fallbacks) {
      const next = this.get(fallback);
      if (next && next.id !== model.id && !chain.includes(next)) {
        chain.push(next);
      }
    }
    return chain;
  }

  /**
   * Whether a key restricted to `allowed` may use `name`: the names are compared as the
   * catalog resolves them, so a key listing `gpt-4o` may ask for `smart` and the reverse.
   */
  isAllowed(name: string, allowed: ReadonlySet<string> | undefined): boolean {
    return allowed === undefined || this.allowedIds(allowed).has(this.resolveAlias(name) ?? name);
  }

  /** The public ids a key's list of names covers (names the catalog does not know kept as is). */
  allowedIds(allowed: ReadonlySet<string>): Set<string> {
    return new Set([...allowed].map((name) => this.resolveAlias(name) ?? name));
  }

  private put(model: CatalogModel): void {
    this.models.set(model.id, model);
    this.names.set(model.id, model.id);
    for (const alias of model.aliases) {
      this.names.set(alias, model.id);
    }
  }

  private addQualifiedName(model: CatalogModel): void {
    const qualified = `${model.provider}/${model.upstreamId}`;
    if (!this.names.has(qualified)) {
      this.names.set(qualified, model.id);
    }
  }
}
