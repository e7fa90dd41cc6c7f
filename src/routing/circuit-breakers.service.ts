import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  handleWhen,
  SamplingBreaker,
} from 'cockatiel';

import { ProviderException } from '../common/errors/provider.exception';
import { routingConfig } from './routing.config';

export type CircuitStatus = 'closed' | 'open' | 'half_open';

interface Circuit {
  policy: CircuitBreakerPolicy;
  openedAt?: number;
}

/**
 * One circuit breaker per provider model (cockatiel): it opens when the share of retryable
 * failures in the window passes CIRCUIT_FAILURE_RATE (with at least CIRCUIT_MIN_CALLS calls),
 * lets a single probe through after CIRCUIT_HALF_OPEN_AFTER_MS, and closes when it succeeds.
 * Caller errors (4xx) never count against an upstream.
 */
@Injectable()
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();
  private readonly logger = new Logger(CircuitBreakers.name);

  constructor(
    @Inject(routingConfig.KEY) private readonly config: ConfigType<typeof routingConfig>,
  ) {}

  execute<T>(route: string, action: () => Promise<T>): Promise<T> {
    return this.circuit(route).policy.execute(action);
  }

  /**
   * Whether routing should try this route now: closed, or open long enough that the next call
   * would be the probe. A half-open route already has its probe in flight.
   */
  isAvailable(route: string, now = Date.now()): boolean {
    const circuit = this.circuits.get(route);
    if (!circuit) {
      return true;
    }
    switch (circuit.policy.state) {
      case CircuitState.Closed:
        return true;
      case CircuitState.Open:
        return now - (circuit.openedAt ?? 0) >= this.config.circuit.halfOpenAfterMs;
      case CircuitState.HalfOpen:
      case CircuitState.Isolated:
        return false;
    }
  }

  /** Every route whose circuit is not closed, for the readiness details. */
  notClosed(): Record<string, CircuitStatus> {
    const states: Record<string, CircuitStatus> = {};
    for (const [route, circuit] of this.circuits) {
      const status = toStatus(circuit.policy.state);
      if (status !== 'closed') {
        states[route] = status;
      }
    }
    return states;
  }

  get knownRoutes(): number {
    return this.circuits.size;
  }

  private evictClosedBeyondLimit(): void {
    for (const [route, circuit] of this.circuits) {
      if (this.circuits.size <= MAX_CIRCUITS) {
        return;
      }
      if (circuit.policy.state === CircuitState.Closed) {
        this.circuits.delete(route);
      }
    }
  }

  private circuit(route: string): Circuit {
    let circuit = this.circuits.get(route);
    if (!circuit) {
      const { failureRate, minCalls, windowMs, halfOpenAfterMs } = this.config.circuit;
      const policy = circuitBreaker(
        handleWhen((error) => error instanceof ProviderException && error.retryable),
        {
          halfOpenAfter: halfOpenAfterMs,
          breaker: new SamplingBreaker({
            threshold: failureRate,
            duration: windowMs,
            // Half a call below the minimum: the breaker's float rounding would otherwise ask for one more.
            minimumRps: (minCalls - 0.5) / (windowMs / 1000),
          }),
        },
      );
      const created: Circuit = { policy };
      policy.onStateChange((state) => {
        if (state === CircuitState.Open) {
          created.openedAt = Date.now();
        }
        this.logger.warn({ route, state: toStatus(state) }, 'Circuit state changed');
      });
      this.circuits.set(route, created);
      this.evictClosedBeyondLimit();
      circuit = created;
    }
    return circuit;
  }
}

/** Clients choose model names, so the set of routes is open-ended; closed circuits are cheap to forget. */
const MAX_CIRCUITS = 1_000;

export function isBrokenCircuit(error: unknown): boolean {
  return error instanceof BrokenCircuitError;
}

function toStatus(state: CircuitState): CircuitStatus {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half_open';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}
