import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

import { ApiKeyIdentity } from '../auth/api-key.types';
import { ModelCatalog } from '../catalog/model-catalog';
import { GatewayException } from '../common/errors/gateway.exception';
import { ProviderException } from '../common/errors/provider.exception';
import { MetricsService } from '../metrics/metrics.service';
import { OTHER_MODEL, RequestMetrics } from '../metrics/request-metrics';
import { UpstreamMeter } from '../metrics/upstream-meter';
import { RequestProfile } from '../model-selector/request-profile';
import { ProviderContext, UpstreamFacts } from '../providers/chat-provider.interface';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  CompletionUsage,
} from '../providers/chat.types';
import { withRetries } from '../providers/shared/retry';
import { CircuitBreakers, isBrokenCircuit } from '../routing/circuit-breakers.service';
import { RouteCandidate, RoutePlan, RoutePlanner } from '../routing/route-planner.service';
import { routingConfig } from '../routing/routing.config';
import { Served, ServedRoute } from '../routing/served-route';
import { fallbacksHeader } from './gateway-headers';

export interface CompletionCall {
  request: ChatCompletionRequest;
  apiKey: ApiKeyIdentity;
  context: ProviderContext;
  /** The request's selection policy header, for `auto`. */
  policyHeader?: string;
  /** The request's metrics record, when the metrics middleware started one. */
  timing?: RequestMetrics;
  /** The request's profile (token estimate, needs): computed once, by whoever asks first. */
  profile: () => RequestProfile;
}

/** How a route runs one call: the request carries the route's upstream model id. */
export type RouteRun<T> = (
  candidate: RouteCandidate,
  request: ChatCompletionRequest,
  context: ProviderContext,
) => T;

@Injectable()
export class CompletionsService {
  constructor(
    private readonly planner: RoutePlanner,
    private readonly breakers: CircuitBreakers,
    @Inject(routingConfig.KEY) private readonly routing: ConfigType<typeof routingConfig>,
    private readonly metrics: MetricsService,
    private readonly catalog: ModelCatalog,
  ) {}

  complete(call: CompletionCall): Promise<Served<ChatCompletion>> {
    return this.completeWith(
      call,
      (candidate, request, context) => candidate.provider.complete(request, context),
      (completion) => completion.usage,
    );
  }

  /**
   * Serves one complete answer through the plan (retries, fallbacks, circuits, metrics) with a
   * caller-chosen call per route: the Responses API calls some upstreams natively.
   */
  async completeWith<T>(
    call: CompletionCall,
    run: RouteRun<Promise<T>>,
    usageOf: (result: T) => CompletionUsage | null | undefined,
  ): Promise<Served<T>> {
    const plan = this.plan(call);
    const meter = this.metrics.upstreamMeter(call.timing, call.context.signal);
    try {
      const served = await this.serve(plan, call, meter, run);
      meter.usage(usageOf(served.result));
      return served;
    } finally {
      meter.end();
    }
  }

  stream(call: CompletionCall): Promise<Served<AsyncIterable<ChatCompletionChunk>>> {
    return this.streamWith(
      call,
      (candidate, request, context) => candidate.provider.stream(request, context),
      (meter, chunk) => meter.chunk(chunk),
    );
  }

  /**
   * Starts the upstream stream and waits for its first item before returning: a failure until
   * then is still an HTTP error, may be retried or fail over; after it, nothing is retried
   * (bytes may have reached the client) and failures end the stream with an error event.
   */
  async streamWith<T>(
    call: CompletionCall,
    open: RouteRun<AsyncIterable<T>>,
    observe: (meter: UpstreamMeter, item: T) => void,
  ): Promise<Served<AsyncIterable<T>>> {
    const plan = this.plan(call);
    const meter = this.metrics.upstreamMeter(call.timing, call.context.signal);
    const served = await this.serve(plan, call, meter, async (candidate, request, context) => {
      const started = open(candidate, request, context)[Symbol.asyncIterator]();
      return { first: await started.next(), iterator: started };
    }).catch((error: unknown) => {
      meter.end();
      throw error;
    });
    const { first, iterator } = served.result;
    const items = (async function* primed() {
      try {
        if (first.done) {
          return;
        }
        observe(meter, first.value);
        yield first.value;
        // for-await hands an early return (the client left) on to the upstream's iterator.
        for await (const item of { [Symbol.asyncIterator]: () => iterator }) {
          observe(meter, item);
          yield item;
        }
      } catch (error) {
        meter.failed(error);
        throw error;
      } finally {
        meter.end();
      }
    })();
    return { result: items, route: served.route };
  }

  private plan(call: CompletionCall): RoutePlan {
    return this.planner.plan(call.request, call.apiKey, {
      policyHeader: call.policyHeader,
      profile: call.profile,
    });
  }

  /**
   * Models the catalog or a provider's list names keep their own series; any other id a client
   * made up counts as `other`, so that /metrics stays small whatever clients send.
   */
  private metricLabel(candidate: RouteCandidate, served: string): string {
    return this.catalog.get(served) !== undefined ||
      candidate.provider.hasModel(served) ||
      candidate.provider.hasModel(candidate.upstreamModel)
      ? served
      : OTHER_MODEL;
  }

  /** The model a request asks for once defaults apply, for the request log. */
  resolveModel(request: ChatCompletionRequest): string {
    return request.model || 'auto';
  }

  /**
   * Tries the plan's routes in order. Each route gets up to RETRY_ATTEMPTS more tries on
   * retryable failures (unless its provider retries itself); the route's circuit breaker counts
   * the request once, whatever its tries. A route that still fails, or whose circuit is open,
   * hands over to the next at once; when none is left the client learns when to retry. Caller
   * errors (4xx) end it at once.
   */
  private async serve<T>(
    plan: RoutePlan,
    call: CompletionCall,
    meter: UpstreamMeter,
    run: RouteRun<Promise<T>>,
  ): Promise<Served<T>> {
    const failed: string[] = [];
    let lastError: unknown;
    let nextProbeMs = Infinity;
    for (const [index, candidate] of plan.candidates.entries()) {
      if (index > 0) {
        meter.fellBack(plan.candidates[index - 1].provider.id);
      }
      if (!this.breakers.isAvailable(candidate.circuit)) {
        failed.push(`${candidate.label} (circuit open)`);
        nextProbeMs = Math.min(nextProbeMs, this.breakers.retryAfterMs(candidate.circuit));
        continue;
      }
      const request = { ...call.request, model: candidate.upstreamModel };
      const provider = candidate.provider.id;
      const route: ServedRoute = {
        provider,
        model: candidate.label,
        selectionReason: plan.selectionReason,
        fallbacks: [...failed],
      };
      const context: ProviderContext = {
        ...call.context,
        report: (facts) => applyFacts(route, facts),
      };
      let tries = 0;
      const attempt = () => {
        meter.attempt(provider, tries++ > 0);
        return run(candidate, request, context).catch((error: unknown) => {
          meter.failed(error, provider);
          throw error;
        });
      };
      try {
        const result = await this.breakers.execute(
          candidate.circuit,
          () =>
            candidate.provider.retriesInternally
              ? attempt()
              : withRetries(attempt, this.routing.retry, call.context.signal),
          (signal) => probeRoute(candidate, signal),
        );
        meter.servedBy(provider, this.metricLabel(candidate, route.model));
        return { result, route };
      } catch (error) {
        if (call.context.signal.aborted || !canFailOver(error)) {
          throw error;
        }
        failed.push(`${candidate.label} (${failureLabel(error)})`);
        lastError = error;
      }
    }
    const error =
      lastError instanceof ProviderException
        ? lastError
        : GatewayException.noProvider(
            `No route can serve this request right now: ${failed.join(', ') || 'no enabled provider'}.`,
          );
    Object.assign(error.headers, fallbacksHeader(failed));
    if (lastError === undefined && Number.isFinite(nextProbeMs)) {
      // Every route was open: come back when the first of them is probed again.
      error.headers['retry-after'] = String(Math.max(1, Math.ceil(nextProbeMs / 1000)));
    }
    throw error;
  }
}

/** The smallest request that shows a route answers again: one token, no client involved. */
function probeRoute(candidate: RouteCandidate, signal: AbortSignal): Promise<unknown> {
  return candidate.provider.complete(
    {
      model: candidate.upstreamModel,
      messages: [{ role: 'user', content: 'ping' }],
      max_tokens: 1,
    },
    { signal, requestId: `circuit-probe:${candidate.circuit}` },
  );
}

/** A provider that chose the model itself (Straico's selector) names it, and why. */
function applyFacts(route: ServedRoute, facts: UpstreamFacts): void {
  if (facts.model !== undefined) {
    route.model = facts.model;
  }
  if (facts.selectionReason !== undefined) {
    route.selectionReason = facts.selectionReason;
  }
  if (facts.coins !== undefined) {
    route.coins = facts.coins;
  }
}

function canFailOver(error: unknown): boolean {
  return (error instanceof ProviderException && error.retryable) || isBrokenCircuit(error);
}

function failureLabel(error: unknown): string {
  return error instanceof ProviderException ? String(error.getStatus()) : 'circuit open';
}
