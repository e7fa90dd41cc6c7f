import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

import {
  BoundedLabel,
  CLIENT_CLOSED,
  RequestMetrics,
  routeLabel,
  UNKNOWN,
} from './request-metrics';
import { UpstreamMeter } from './upstream-meter';

// LLM answers take from tens of milliseconds (cached, tiny) to minutes (long generations).
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
// The gateway's own share is expected in the sub-millisecond range; the buckets resolve it.
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const RETRIEVAL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const INJECTED_BUCKETS = [0, 1, 2, 4, 8, 16];
/** Distinct models, and key ids, a series is kept for; beyond it they count as `other`. */
const MAX_LABEL_VALUES = 200;

/**
 * The gateway's Prometheus registry and instruments. Everything is created once at boot; the
 * request path only increments and observes. The registry is the module's own, not prom-client's
 * global one, so that several gateways in one process (e2e suites) do not share or clash.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly models = new BoundedLabel(MAX_LABEL_VALUES);
  private readonly keys = new BoundedLabel(MAX_LABEL_VALUES);

  readonly requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method, status and the provider/model that served them (499: the client went away first).',
    labelNames: ['route', 'method', 'status', 'provider', 'model'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'Total time from the request reaching the gateway to the last byte of the answer.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly overhead = new Histogram({
    name: 'gateway_overhead_seconds',
    help: 'Time the gateway adds to a completion: total time minus the time spent on upstreams (calls, retry waits, streams).',
    labelNames: ['route'] as const,
    buckets: OVERHEAD_BUCKETS,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_duration_seconds',
    help: 'Duration of the upstream call that served a completion, until its stream ended.',
    labelNames: ['provider', 'model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly timeToFirstToken = new Histogram({
    name: 'gateway_time_to_first_token_seconds',
    help: 'Streams: time from the request reaching the gateway to the first chunk with content.',
    labelNames: ['provider', 'model'] as const,
    buckets: TTFT_BUCKETS,
    registers: [this.registry],
  });
  readonly promptTokens = new Counter({
    name: 'gateway_prompt_tokens_total',
    help: 'Prompt tokens as reported in the usage of completions (streams: with include_usage).',
    labelNames: ['provider', 'model'] as const,
    registers: [this.registry],
  });
  readonly completionTokens = new Counter({
    name: 'gateway_completion_tokens_total',
    help: 'Completion tokens as reported in the usage of completions (streams: with include_usage).',
    labelNames: ['provider', 'model'] as const,
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Failed upstream attempts, by provider and kind (status_4xx, rate_limited, status_5xx, timeout, connect, bad_response).',
    labelNames: ['provider', 'kind'] as const,
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Attempts repeated on the same route after a retryable failure (providers that retry internally not included).',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly fallbacks = new Counter({
    name: 'gateway_fallbacks_total',
    help: 'Requests handed from a route (failed or circuit open) to the next route of its chain, by the provider given up.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly throttledRequests = new Counter({
    name: 'gateway_throttled_requests_total',
    help: 'Requests refused by the rate limiter (429), by proxy key id.',
    labelNames: ['key'] as const,
    registers: [this.registry],
  });
  readonly memoryRetrieval = new Histogram({
    name: 'gateway_memory_retrieval_seconds',
    help: 'Time spent finding memories for a completion, failures and timeouts included.',
    buckets: RETRIEVAL_BUCKETS,
    registers: [this.registry],
  });
  readonly memoryInjected = new Histogram({
    name: 'gateway_memory_injected_memories',
    help: 'Memories injected into one completion (_sum: all injected memories).',
    buckets: INJECTED_BUCKETS,
    registers: [this.registry],
  });

  readonly memoryWrites = new Counter({
    name: 'gateway_memory_writes_total',
    help: 'Memories handed to the store by the writer: written, duplicate (already stored), rejected (the store refused their data; dropped at once) or given_up (store down past MEMORY_WRITE_RETRY_MS, queue full, or shutdown).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Content type of the text format, for the scrape answer. */
  get contentType(): string {
    return this.registry.contentType;
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** Starts the per-request record the middleware hands to the completions path. */
  startRequest(): RequestMetrics {
    return {
      startedNs: process.hrtime.bigint(),
      upstreamNs: 0n,
      provider: UNKNOWN,
      model: UNKNOWN,
    };
  }

  /** Called once per request when its connection is done with it. */
  requestFinished(
    request: IncomingMessage,
    response: ServerResponse,
    timing: RequestMetrics,
  ): void {
    const elapsedNs = process.hrtime.bigint() - timing.startedNs;
    const route = routeLabel(request);
    const method = request.method ?? UNKNOWN;
    const status = response.writableFinished ? String(response.statusCode) : CLIENT_CLOSED;
    this.requests.inc({ route, method, status, provider: timing.provider, model: timing.model });
    this.requestDuration.observe({ route, method, status }, Number(elapsedNs) / 1e9);
    if (timing.upstreamNs > 0n) {
      this.overhead.observe({ route }, Number(elapsedNs - timing.upstreamNs) / 1e9);
    }
  }

  /** One completion's way through routing to an upstream; see UpstreamMeter. */
  upstreamMeter(timing: RequestMetrics | undefined, signal: AbortSignal): UpstreamMeter {
    return new UpstreamMeter(this, timing, signal);
  }

  /**
   * For the rate limiter: one request refused. Pass the proxy key's id, never a client IP
   * (undefined when auth is disabled): ids come from configuration, IPs are unbounded.
   */
  throttled(keyId: string | undefined): void {
    this.throttledRequests.inc({ key: this.keys.of(keyId) });
  }

  memoryWritten(outcome: 'written' | 'duplicate' | 'rejected' | 'given_up', count: number): void {
    if (count > 0) {
      this.memoryWrites.inc({ outcome }, count);
    }
  }

  memoryRecalled(retrievalMs: number, injected: number): void {
    this.memoryRetrieval.observe(retrievalMs / 1000);
    this.memoryInjected.observe(injected);
  }
}
