import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Response } from 'express';

import { ApiKeyIdentity } from '../auth/api-key.types';
import { GatewayException } from '../common/errors/gateway.exception';
import type { RequestProfile } from '../model-selector/request-profile';
import { failFastRedis } from './rate-limit-storage';
import { formatResetDuration } from './rate-limit-headers';
import { InMemoryTokenBudget, RedisTokenBudget, TokenBudget } from './token-budget';
import { throttlingConfig } from './throttling.config';

const WINDOW_MS = 60_000;

/** Tokens held for one request until its real usage is known. */
export interface TokenReservation {
  key: string;
  reserved: number;
}

/**
 * Tokens per minute per key (`tpm` in the keys file, else THROTTLE_TPM). A request reserves its
 * prompt estimate plus the output it asks for (max_completion_tokens / max_tokens) when it
 * starts, and the reservation is corrected from the answer's `usage` when it ends; a request
 * that fails gives its tokens back. Shared through Redis with REDIS_URL, like request limits.
 */
@Injectable()
export class TokenLimiter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly budget: TokenBudget;

  constructor(
    @Inject(throttlingConfig.KEY) private readonly config: ConfigType<typeof throttlingConfig>,
  ) {
    this.budget =
      config.redisUrl === undefined
        ? new InMemoryTokenBudget()
        : new RedisTokenBudget(
            failFastRedis(config.redisUrl, config.redisTimeoutMs),
            config.redisTimeoutMs * 4,
          );
  }

  /**
   * Undefined when the key has no token limit (or the budget store failed open). The request's
   * profile is asked for only when there is a limit; routing reuses it for `auto`.
   */
  async reserve(
    apiKey: ApiKeyIdentity,
    profileOf: () => RequestProfile,
    response: Response,
  ): Promise<TokenReservation | undefined> {
    const limit = apiKey.tpm ?? this.config.tpm;
    if (limit === undefined) {
      return undefined;
    }
    const profile = profileOf();
    const tokens =
      profile.promptTokens + (profile.explicitOutput ? profile.requestedOutputTokens : 0);
    const key = `key:${apiKey.id}`;
    let state;
    try {
      state = await this.budget.reserve(key, tokens, limit, WINDOW_MS);
    } catch (error) {
      if (this.config.failMode === 'closed') {
        throw GatewayException.rateLimitUnavailable();
      }
      this.logger.warn(`token budget unavailable, not counting: ${(error as Error).message}`);
      return undefined;
    }
    const resetSeconds = Math.max(1, Math.ceil(state.resetMs / 1000));
    response.setHeader('x-ratelimit-limit-tokens', limit);
    response.setHeader('x-ratelimit-remaining-tokens', Math.max(0, limit - state.used));
    response.setHeader('x-ratelimit-reset-tokens', formatResetDuration(resetSeconds));
    if (!state.allowed) {
      throw GatewayException.rateLimited(
        `Rate limit reached for tokens per minute: limit ${limit}, used ${state.used}, ` +
          `requested ${tokens}. Please try again in ${resetSeconds}s.`,
        resetSeconds,
      );
    }
    return { key, reserved: tokens };
  }

  /** `usedTokens` undefined: the answer carried no usage, so the estimate stands. */
  settle(reservation: TokenReservation | undefined, usedTokens: number | undefined): void {
    if (reservation === undefined || usedTokens === undefined) {
      return;
    }
    this.budget
      .adjust(reservation.key, usedTokens - reservation.reserved, WINDOW_MS)
      .catch((error: Error) => this.logger.warn(`token budget correction lost: ${error.message}`));
  }

  onApplicationBootstrap(): Promise<void> {
    return this.budget.ready();
  }

  onApplicationShutdown(): void {
    this.budget.close();
  }
}
