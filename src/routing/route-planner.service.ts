import { Injectable, OnModuleInit } from '@nestjs/common';

import { ApiKeyIdentity } from '../auth/api-key.types';
import { GatewayException } from '../common/errors/gateway.exception';
import { ModelCatalog } from '../catalog/model-catalog';
import { CatalogModel } from '../catalog/model-catalog.types';
import { ModelSelectorService } from '../model-selector/model-selector.service';
import { RequestProfile } from '../model-selector/request-profile';
import { ChatProvider } from '../providers/chat-provider.interface';
import { ChatCompletionRequest, ProviderModel } from '../providers/chat.types';
import { ProviderRegistry } from '../providers/provider-registry.service';
import { straicoAutoModel } from '../providers/straico/straico-auto';
import { CircuitBreakers } from './circuit-breakers.service';

/** One way to serve a request: a provider, the id it knows the model by, and a circuit. */
export interface RouteCandidate {
  provider: ChatProvider;
  upstreamModel: string;
  /** The public model id, as clients and the served route name it. */
  label: string;
  /** The circuit breaker's key: provider and upstream model. */
  circuit: string;
}

export interface RoutePlan {
  /** The first candidate, then its fallback chain, in order. */
  candidates: RouteCandidate[];
  /** Why the gateway's `auto` chose the first candidate's model. */
  selectionReason?: string;
}

export interface PlanOptions {
  /** The request's selection policy header, for `auto`. */
  policyHeader?: string;
  /** The request's profile, shared with whoever else needs it (the token limiter). */
  profile?: () => RequestProfile;
}

/**
 * Turns the request's `model` into an ordered list of routes: aliases resolved, `auto` decided
 * (by Straico's selector or the gateway's), the key's allowed models enforced, and the catalog's
 * fallback chain appended, skipping disabled providers.
 */
@Injectable()
export class RoutePlanner implements OnModuleInit {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly selector: ModelSelectorService,
    private readonly catalog: ModelCatalog,
    private readonly breakers: CircuitBreakers,
  ) {}

  /** Models a provider discovers at run time (Straico's list) join the catalog as they change. */
  onModuleInit(): void {
    const straico = this.registry.modelSelector();
    const join = (listed: readonly ProviderModel[]) => this.catalog.addDiscovered(listed);
    join(straico?.cachedModels() ?? []);
    straico?.onModelsChanged?.(join);
  }

  plan(
    request: ChatCompletionRequest,
    apiKey: ApiKeyIdentity,
    options: PlanOptions = {},
  ): RoutePlan {
    const model = request.model;
    if (this.selector.isAuto(model)) {
      return this.planAuto(request, apiKey, options);
    }
    const entry = this.catalog.get(model);
    this.assertAllowed(apiKey, model, entry);
    const chain = entry ? this.chain(entry, apiKey) : [];
    if (chain.length > 0) {
      return { candidates: chain };
    }
    const route = this.registry.resolve(model);
    return { candidates: [this.candidate(route.provider, route.upstreamModel, model)] };
  }

  private planAuto(
    request: ChatCompletionRequest,
    apiKey: ApiKeyIdentity,
    { policyHeader, profile }: PlanOptions,
  ): RoutePlan {
    const straico = this.registry.modelSelector();
    if (this.selector.selectorFor(straico !== undefined) === 'straico') {
      // Without an explicit policy Straico's provider applies its own default (STRAICO_PRICING_METHOD).
      const explicit = request.model?.startsWith('auto:') || policyHeader !== undefined;
      const policy = this.selector.parsePolicy(request.model, policyHeader);
      const upstream = straicoAutoModel(explicit ? policy : undefined);
      if (apiKey.allowedModels && !apiKey.allowedModels.has(request.model ?? 'auto')) {
        throw GatewayException.modelNotAllowed(request.model ?? 'auto');
      }
      return { candidates: [this.candidate(straico!, upstream, upstream)] };
    }
    const selection = this.selector.select(request, {
      policyHeader,
      allowed: apiKey.allowedModels,
      isHealthy: (id) => this.isServable(id),
      profile: profile?.(),
    });
    return {
      candidates: this.chain(selection.model, apiKey),
      selectionReason: selection.reason,
    };
  }

  /** A catalog model and its fallbacks, minus disabled providers and models the key may not use. */
  private chain(model: CatalogModel, apiKey: ApiKeyIdentity): RouteCandidate[] {
    const allowed = apiKey.allowedModels && this.catalog.allowedIds(apiKey.allowedModels);
    return [model, ...this.catalog.fallbackChain(model.id)].flatMap((entry) => {
      const provider = this.registry.provider(entry.provider);
      if (!provider?.isEnabled() || (allowed && !allowed.has(entry.id))) {
        return [];
      }
      return [this.candidate(provider, entry.upstreamId, entry.id)];
    });
  }

  private candidate(provider: ChatProvider, upstreamModel: string, label: string): RouteCandidate {
    return { provider, upstreamModel, label, circuit: `${provider.id}/${upstreamModel}` };
  }

  /** For `auto`: the model's provider is enabled and its circuit would take a request. */
  private isServable(id: string): boolean {
    const entry = this.catalog.get(id);
    const provider = entry && this.registry.provider(entry.provider);
    return (
      provider !== undefined &&
      provider.isEnabled() &&
      this.breakers.isAvailable(`${provider.id}/${entry!.upstreamId}`)
    );
  }

  private assertAllowed(apiKey: ApiKeyIdentity, model: string, entry: CatalogModel | undefined) {
    const allowed = apiKey.allowedModels;
    if (!allowed || allowed.has(model)) {
      return;
    }
    if (entry && this.catalog.allowedIds(allowed).has(entry.id)) {
      return;
    }
    throw GatewayException.modelNotAllowed(model);
  }
}
