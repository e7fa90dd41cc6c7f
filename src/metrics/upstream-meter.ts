import { ProviderException } from '../common/errors/provider.exception';
import type { MetricsService } from './metrics.service';
import { RequestMetrics, UNKNOWN } from './request-metrics';

/**
 * The few fields of a completion's usage and of a stream chunk the meter reads. Declared here,
 * not imported from providers/, so that metrics/ depends on no feature module; the providers'
 * types fit them.
 */
export interface MeteredUsage {
  prompt_tokens: number;
  completion_tokens: number;
  [field: string]: unknown;
}
export interface MeteredChunk {
  choices?: ReadonlyArray<{
    delta?: { content?: unknown; refusal?: unknown; tool_calls?: unknown };
  }>;
  usage?: MeteredUsage | null;
}

/**
 * Follows one completion through the serve loop: attempts (retries), failures by kind, route
 * hand-overs, the route that served, tokens and, for streams, the first token and the end.
 * One small object per completion; per chunk it only looks at two fields.
 */
export class UpstreamMeter {
  private readonly startedNs = process.hrtime.bigint();
  private attemptStartedNs = this.startedNs;
  private provider = UNKNOWN;
  private model = UNKNOWN;
  private served = false;
  private ended = false;
  private awaitingFirstToken = true;

  constructor(
    private readonly metrics: MetricsService,
    private readonly timing: RequestMetrics | undefined,
    private readonly signal: AbortSignal,
  ) {}

  /** Before every call to the upstream; `retry` when the same route is tried again. */
  attempt(provider: string, retry: boolean): void {
    if (retry) {
      this.metrics.retries.inc({ provider });
    }
    this.attemptStartedNs = process.hrtime.bigint();
  }

  /** An upstream call failed. Open circuits and clients going away are not upstream errors. */
  failed(error: unknown, provider = this.provider): void {
    const kind = upstreamErrorKind(error);
    if (kind !== undefined && !this.signal.aborted) {
      this.metrics.upstreamErrors.inc({ provider, kind });
    }
  }

  /** Routing moves on from a route of this provider to the next one. */
  fellBack(provider: string): void {
    this.metrics.fallbacks.inc({ provider });
  }

  /** `model` is the served model id (the catalog's, or the one a provider's selector chose). */
  servedBy(provider: string, model: string | undefined): void {
    this.served = true;
    this.provider = provider;
    this.model = this.metrics.models.of(model);
    if (this.timing) {
      this.timing.provider = provider;
      this.timing.model = this.model;
    }
  }

  usage(usage: MeteredUsage | null | undefined): void {
    if (!usage) {
      return;
    }
    const labels = { provider: this.provider, model: this.model };
    if (usage.prompt_tokens > 0) {
      this.metrics.promptTokens.inc(labels, usage.prompt_tokens);
    }
    if (usage.completion_tokens > 0) {
      this.metrics.completionTokens.inc(labels, usage.completion_tokens);
    }
  }

  /** Every streamed chunk, on its way to the client. */
  chunk(chunk: MeteredChunk): void {
    if (this.awaitingFirstToken && hasContent(chunk)) {
      this.firstToken();
    }
    if (chunk.usage) {
      this.usage(chunk.usage);
    }
  }

  /** The first content the client can see (streams that are not chat chunks call it directly). */
  firstToken(): void {
    if (!this.awaitingFirstToken) {
      return;
    }
    this.awaitingFirstToken = false;
    const since = this.timing?.startedNs ?? this.startedNs;
    this.metrics.timeToFirstToken.observe(
      { provider: this.provider, model: this.model },
      Number(process.hrtime.bigint() - since) / 1e9,
    );
  }

  /** The answer is complete, failed or abandoned; only the first call counts. */
  end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    const now = process.hrtime.bigint();
    if (this.served) {
      this.metrics.upstreamDuration.observe(
        { provider: this.provider, model: this.model },
        Number(now - this.attemptStartedNs) / 1e9,
      );
    }
    if (this.timing) {
      this.timing.upstreamNs += now - this.startedNs;
    }
  }
}

/** Bounded kinds for the error counter; undefined for failures that are no upstream's. */
export function upstreamErrorKind(error: unknown): string | undefined {
  if (!(error instanceof ProviderException)) {
    return undefined;
  }
  switch (error.kind) {
    case 'timeout':
      return 'timeout';
    case 'unreachable':
      return 'connect';
    case 'bad_response':
      return 'bad_response';
    case 'upstream_error': {
      const status = error.getStatus();
      return status === 429 ? 'rate_limited' : status >= 500 ? 'status_5xx' : 'status_4xx';
    }
  }
}

/** Content the client can see: text, a refusal or tool calls; not role-only or keep-alive chunks. */
function hasContent(chunk: MeteredChunk): boolean {
  const delta = chunk.choices?.[0]?.delta;
  return (
    delta !== undefined &&
    ((typeof delta.content === 'string' && delta.content !== '') ||
      (typeof delta.refusal === 'string' && delta.refusal !== '') ||
      delta.tool_calls !== undefined)
  );
}
