import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { GatewayException } from '../common/errors/gateway.exception';
import { ChatProvider } from './chat-provider.interface';
import { ProviderModel } from './chat.types';
import { CHAT_PROVIDERS } from './providers.constants';
import { closestModels } from './shared/model-suggestions';

const EMPTY_LIST_RETRY_MS = 10_000;

export interface ResolvedRoute {
  provider: ChatProvider;
  /** The id the upstream knows the model by (routing prefix removed). */
  upstreamModel: string;
}

@Injectable()
export class ProviderRegistry implements OnApplicationBootstrap {
  private readonly providers = new Map<string, ChatProvider>();
  private readonly enabledProviders: ChatProvider[];

  private readonly logger = new Logger(ProviderRegistry.name);
  private readonly emptyListRetriedAt = new Map<string, number>();

  constructor(@Inject(CHAT_PROVIDERS) all: ChatProvider[]) {
    for (const provider of all) {
      if (this.providers.has(provider.id)) {
        throw new Error(`Two chat providers are registered with the id "${provider.id}"`);
      }
      this.providers.set(provider.id, provider);
    }
    this.enabledProviders = all.filter((provider) => provider.isEnabled());
  }

  /** Warms the model caches without holding up the boot: an upstream may be down right now. */
  onApplicationBootstrap(): void {
    for (const provider of this.enabledProviders) {
      provider.listModels().catch((error: Error) => {
        this.logger.warn({ provider: provider.id, err: error.message }, 'Could not list models');
      });
    }
  }

  enabled(): readonly ChatProvider[] {
    return this.enabledProviders;
  }

  provider(id: string): ChatProvider | undefined {
    return this.providers.get(id);
  }

  /** The provider that picks models itself for `auto` requests, if one is configured. */
  modelSelector(): ChatProvider | undefined {
    return this.enabledProviders.find((provider) => provider.selectsModels === true);
  }

  /**
   * `provider/model` routes explicitly; a bare id goes to the provider that lists it, else to
   * the first OpenAI-compatible provider, which lets the upstream judge unknown ids itself.
   */
  resolve(model: string): ResolvedRoute {
    const slash = model.indexOf('/');
    const prefixed = slash > 0 ? this.providers.get(model.slice(0, slash)) : undefined;
    if (prefixed?.isEnabled() && !prefixed.hasModel(model)) {
      return { provider: prefixed, upstreamModel: model.slice(slash + 1) };
    }
    // Ids like Straico's `openai/gpt-4o-mini` start with another provider's name: whoever
    // lists the whole id serves it, even when that provider is disabled or absent.
    const lister = this.enabledProviders.find((provider) => provider.hasModel(model));
    if (lister) {
      return { provider: lister, upstreamModel: model };
    }
    const fallback = prefixed
      ? undefined
      : this.enabledProviders.find((provider) => provider.acceptsUnlistedModels);
    if (fallback) {
      return { provider: fallback, upstreamModel: model };
    }
    if (this.enabledProviders.length === 0) {
      throw GatewayException.noProvider('No upstream provider is configured on this gateway.');
    }
    this.refreshEmptyModelLists();
    const listed = this.enabledProviders.flatMap((provider) =>
      provider.cachedModels().map((m) => m.id),
    );
    throw GatewayException.modelNotFound(model, closestModels(model, listed));
  }

  /**
   * A provider whose list failed to load at boot gets another try, without holding anyone up,
   * at most every EMPTY_LIST_RETRY_MS: misses must not turn into a stream of list calls.
   */
  private refreshEmptyModelLists(now = Date.now()): void {
    for (const provider of this.enabledProviders) {
      const last = this.emptyListRetriedAt.get(provider.id) ?? 0;
      if (provider.cachedModels().length === 0 && now - last >= EMPTY_LIST_RETRY_MS) {
        this.emptyListRetriedAt.set(provider.id, now);
        provider.listModels().catch(() => undefined);
      }
    }
  }

  /** Every enabled provider's models, refreshed when stale; a failing provider is skipped. */
  async listModels(): Promise<ProviderModel[]> {
    const lists = await Promise.all(
      this.enabledProviders.map((provider) =>
        provider.listModels().catch(() => provider.cachedModels()),
      ),
    );
    return lists.flat();
  }

  /** A listed id, or one that routing would accept (`provider/<id>` or a bare listed id). */
  async findModel(id: string): Promise<ProviderModel | undefined> {
    const models = await this.listModels();
    const exact = models.find((model) => model.id === id);
    if (exact) {
      return exact;
    }
    const slash = id.indexOf('/');
    const prefixed = slash > 0 ? this.providers.get(id.slice(0, slash)) : undefined;
    if (prefixed?.isEnabled()) {
      const bare = id.slice(slash + 1);
      return prefixed.cachedModels().find((model) => model.id === bare);
    }
    const lister = this.enabledProviders.find((provider) => provider.hasModel(id));
    return lister?.cachedModels().find((model) => model.id === `${lister.id}/${id}`);
  }
}
