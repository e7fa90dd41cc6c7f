import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
} from '@nestjs/terminus';
import type { Response } from 'express';

import { Public } from '../common/http/public.decorator';
import { GatewayLifecycle } from '../lifecycle/gateway-lifecycle';
import { MemoryHealthIndicator } from '../memory/memory-health.indicator';
import { ProviderRegistry } from '../providers/provider-registry.service';
import { ProviderHealthIndicator } from './provider-health.indicator';
import { RoutingHealthIndicator } from './routing-health.indicator';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly providerHealth: ProviderHealthIndicator,
    private readonly registry: ProviderRegistry,
    private readonly routing: RoutingHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly lifecycle: GatewayLifecycle,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: this process takes traffic (503 while starting or draining)',
    description:
      'Upstreams, circuits and memory are shown in `details` but never decide readiness, and ' +
      'no upstream is called: every replica shares them.',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    const providers = this.registry.enabled();
    const checks: HealthIndicatorFunction[] = [
      () => this.process(),
      ...(providers.length > 0
        ? providers.map((provider) => () => this.providerHealth.check(provider))
        : [() => this.providerHealth.noProvider()]),
      () => this.routing.check(),
      () => this.memory.check(),
    ];
    try {
      return await this.health.check(checks);
    } catch (error) {
      // Terminus reports "down" as an exception; probes and operators want its details as-is.
      if (error instanceof ServiceUnavailableException) {
        response.status(503);
        return error.getResponse();
      }
      throw error;
    }
  }

  private process() {
    const indicator = this.indicators.check('process');
    const state = this.lifecycle.state;
    return state === 'serving' ? indicator.up({ state }) : indicator.down({ state });
  }
}
