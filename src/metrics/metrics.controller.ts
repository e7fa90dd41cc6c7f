import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

import { Public } from '../auth/public.decorator';
import { GatewayException } from '../common/errors/gateway.exception';
import { metricsConfig } from './metrics.config';
import { MetricsService } from './metrics.service';

/**
 * Public for the proxy-key guard and the rate limiter: scrapers hold no proxy key, and a
 * throttled scrape would look like an outage. METRICS_TOKEN, when set, guards it instead.
 */
@ApiTags('ops')
@ApiBearerAuth()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly tokenDigest?: Buffer;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(metricsConfig.KEY) config: ConfigType<typeof metricsConfig>,
  ) {
    this.tokenDigest = config.token === undefined ? undefined : digest(config.token);
  }

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Prometheus text format. Open unless METRICS_TOKEN is set; then it needs ' +
      '`Authorization: Bearer <METRICS_TOKEN>` (not a proxy key).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics in the Prometheus text exposition format' })
  @ApiResponse({ status: 401, description: 'METRICS_TOKEN is set and was not sent' })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    this.authorize(authorization);
    const text = await this.metrics.scrape();
    response.setHeader('content-type', this.metrics.contentType);
    response.setHeader('cache-control', 'no-store');
    return text;
  }

  private authorize(authorization: string | undefined): void {
    if (this.tokenDigest === undefined) {
      return;
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    // Digests have one length, so the comparison neither throws nor hints at the token's length.
    if (!match || !timingSafeEqual(digest(match[1].trim()), this.tokenDigest)) {
      throw GatewayException.invalidApiKey(
        'Metrics need `Authorization: Bearer <METRICS_TOKEN>`; the token sent is missing or wrong.',
      );
    }
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
