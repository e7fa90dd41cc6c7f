import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

export type LifecycleState = 'starting' | 'serving' | 'draining';

/**
 * Where this process is in its life, which is all readiness reports: starting until every
 * module is up, serving, then draining from SIGTERM on. `cutSignal` fires when the shutdown
 * grace period is over, for streams that are still going.
 */
@Injectable()
export class GatewayLifecycle implements OnApplicationBootstrap {
  private current: LifecycleState = 'starting';
  private readonly cut = new AbortController();

  get state(): LifecycleState {
    return this.current;
  }

  get draining(): boolean {
    return this.current === 'draining';
  }

  get cutSignal(): AbortSignal {
    return this.cut.signal;
  }

  onApplicationBootstrap(): void {
    if (this.current === 'starting') {
      this.current = 'serving';
    }
  }

  drain(): void {
    this.current = 'draining';
  }

  /** The grace period is over: what still runs ends now, with an error event for streams. */
  cutInFlight(): void {
    this.cut.abort();
  }
}
