import { ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ThrottlerException, ThrottlerGuard, ThrottlerRequest } from '@nestjs/throttler';
import type { Request, Response } from 'express';

import { IS_PUBLIC_ROUTE } from '../common/http/public.decorator';
import { GatewayException } from '../common/errors/gateway.exception';
import { MetricsService } from '../metrics/metrics.service';
import { formatResetDuration } from './rate-limit-headers';
import { throttlingConfig } from './throttling.config';

/**
 * Counts requests per proxy key (per client IP when auth is disabled), applies the key's own
 * limit from the keys file, and answers with OpenAI's rate-limit headers. It runs after the
 * auth guard, so a request with a bad key never spends a real key's budget.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  private readonly log = new Logger(ApiKeyThrottlerGuard.name);
  private lastFailureLog = 0;
  /** Requests let through (or refused) because the storage failed. */
  storageFailures = 0;

  @Inject(throttlingConfig.KEY)
  private readonly throttling: ConfigType<typeof throttlingConfig>;

  @Inject(MetricsService)
  private readonly metrics: MetricsService;

  private get failMode(): string {
    return this.throttling.failMode;
  }

  /** Probes, docs and metrics are polled by machines; limiting them would fail a healthy pod. */
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    return Promise.resolve(isPublic === true);
  }

  /**
   * RATE_LIMIT_FAIL_MODE: `open` lets requests through (an outage of the limiter must not become
   * an outage of the gateway), `closed` refuses them (where the limit protects a budget).
   */
  private storageFailed(error: unknown): boolean {
    this.storageFailures += 1;
    if (this.failMode === 'closed') {
      throw GatewayException.rateLimitUnavailable();
    }
    const now = Date.now();
    if (now - this.lastFailureLog > 10_000) {
      this.lastFailureLog = now;
      this.log.warn(
        `Rate-limit storage failed (${(error as Error).message}); letting requests through ` +
          `(${this.storageFailures} so far)`,
      );
    }
    return true;
  }

  protected override async handleRequest(requestProps: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = requestProps;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const apiKey = request.apiKey;
    const limit = apiKey?.rateLimit?.limit ?? requestProps.limit;
    const ttl = apiKey?.rateLimit?.ttlMs ?? requestProps.ttl;
    const tracker =
      apiKey && apiKey.id !== 'anonymous' ? `key:${apiKey.id}` : `ip:${request.ip ?? 'unknown'}`;

    let record;
    try {
      record = await this.storageService.increment(tracker, ttl, limit, ttl, throttler.name!);
    } catch (error) {
      if (error instanceof ThrottlerException) {
        throw error;
      }
      return this.storageFailed(error);
    }

    response.setHeader('x-ratelimit-limit-requests', limit);
    response.setHeader('x-ratelimit-remaining-requests', Math.max(0, limit - record.totalHits));
    response.setHeader('x-ratelimit-reset-requests', formatResetDuration(record.timeToExpire));
    if (record.isBlocked) {
      // The key id, never the client IP: one series per IP would grow without bound.
      this.metrics.throttled(apiKey?.id);
      throw GatewayException.rateLimited(
        `Rate limit reached for requests: limit ${limit} per ${formatResetDuration(ttl / 1000)}. ` +
          `Please try again in ${record.timeToBlockExpire}s.`,
        record.timeToBlockExpire,
      );
    }
    return true;
  }
}
