import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
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

/** One small call that tells whether a route works again; the breaker runs it, not a client. */
export type RouteProbe = (signal: AbortSignal) => Promise<unknown>;

interface Circuit {
  policy: CircuitBreakerPolicy;
  openedAt?: number;
  probe: RouteProbe;
  probeTimer?: NodeJS.Timeout;
}

/**
 * One circuit breaker per route (provider model, cockatiel). It counts requests, not attempts:
 * a request's retries on the route are one outcome. It opens when the share of failed requests
 * in CIRCUIT_WINDOW_MS passes CIRCUIT_FAILURE_RATE, and only once CIRCUIT_MIN_CALLS requests
 * were seen there, so a few bad requests on a quiet gateway cannot take a route down. While
 * open, no client request waits on the route: the breaker itself probes it every
 * CIRCUIT_HALF_OPEN_AFTER_MS, with or without traffic, and closes when the probe succeeds.
 * Caller errors (4xx) never count against an upstream.
 */
@Injectable()
export class CircuitBreakers implements OnModuleDestroy {
  private readonly circuits = new Map<string, Circuit>();
  private readonly logger = new Logger(CircuitBreakers.name);
  private readonly stopped = new AbortController();

  constructor(
    @Inject(routingConfig.KEY) private readonly config: ConfigType<typeof routingConfig>,
  ) {}

  /**
   * Runs one request's whole try of the route (its retries included) as one breaker call.
   * `probe` is how the breaker checks the route by itself once it has opened.
   */
  execute<T>(route: string, action: () => Promise<T>, probe: RouteProbe): Promise<T> {
    const circuit = this.circuit(route, probe);
    circuit.probe = probe;
    return circuit.policy.execute(action);
  }

  /** Whether routing may send a client request this way now: only a closed circuit takes one. */
  isAvailable(route: string): boolean {
    const circuit = this.circuits.get(route);
    return !circuit || circuit.policy.state === CircuitState.Closed;
  }

  /** Milliseconds until the route's next probe may close it (0 when closed or probing now). */
  retryAfterMs(route: string, now = Date.now()): number {
    const circuit = this.circuits.get(route);
    if (!circuit || circuit.policy.state !== CircuitState.Open) {
      return 0;
    }
    return Math.max(0, (circuit.openedAt ?? now) + this.config.circuit.halfOpenAfterMs - now);
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

  onModuleDestroy(): void {
    this.stopped.abort();
    for (const circuit of this.circuits.values()) {
      clearTimeout(circuit.probeTimer);
    }
  }

  /** Runs the probe when the delay is up, unless the circuit has closed since. */
  private scheduleProbe(route: string, circuit: Circuit, delayMs: number): void {
    clearTimeout(circuit.probeTimer);
    circuit.probeTimer = setTimeout(() => {
      if (circuit.policy.state !== CircuitState.Open || this.stopped.signal.aborted) {
        return;
      }
      // Timers may fire a millisecond early by the clock cockatiel reads: then it is not yet time.
      const early = this.retryAfterMs(route);
      if (early > 0) {
        this.scheduleProbe(route, circuit, early);
        return;
      }
      // A failed probe opens the circuit again, which schedules the next one.
      circuit.policy
        .execute(() => circuit.probe(this.stopped.signal))
        .catch((error: unknown) => {
          if (isBrokenCircuit(error)) {
            this.scheduleProbe(route, circuit, 1);
          }
        });
    }, delayMs);
    circuit.probeTimer.unref();
  }

  private evictClosedBeyondLimit(): void {
    for (const [route, circuit] of this.circuits) {
      if (this.circuits.size <= MAX_CIRCUITS) {
        return;
      }
      if (circuit.policy.state === CircuitState.Closed) {
        clearTimeout(circuit.probeTimer);
        this.circuits.delete(route);
      }
    }
  }

  private circuit(route: string, probe: RouteProbe): Circuit {
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
            // Half a request below the minimum: the breaker's float rounding would otherwise ask for one more.
            minimumRps: (minCalls - 0.5) / (windowMs / 1000),
          }),
        },
      );
      const created: Circuit = { policy, probe };
      policy.onStateChange((state) => {
        if (state === CircuitState.Open) {
          created.openedAt = Date.now();
          this.scheduleProbe(route, created, halfOpenAfterMs);
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
