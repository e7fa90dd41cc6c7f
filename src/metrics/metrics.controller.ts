import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

import { Public } from '../common/http/public.decorator';
import { GatewayException } from '../common/errors/gateway.exception';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { metricsConfig } from './metrics.config';
import { MetricsService } from './metrics.service';

const TOKEN_REQUIRED =
  'Metrics need `Authorization: Bearer <METRICS_TOKEN>`; the token sent is missing or wrong.';

/**
 * Public for the proxy-key guard and the rate limiter: scrapers hold no proxy key, and a
 * throttled scrape would look like an outage. METRICS_TOKEN, when set, guards it instead (and
 * only then does Swagger show it locked, see swagger.setup.ts).
 */
@ApiTags('ops')
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
  @ApiOkResponse({
    description: 'Metrics in the Prometheus text exposition format',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# HELP gateway_http_requests_total HTTP requests answered, by route pattern, method, ' +
          'status and the provider/model that served them (499: the client went away first).\n' +
          '# TYPE gateway_http_requests_total counter\n' +
          'gateway_http_requests_total{route="/v1/chat/completions",method="POST",status="200",provider="openai",model="gpt-4o-mini"} 3\n',
      },
    },
  })
  @ApiErrorResponses({
    status: 401,
    description: 'METRICS_TOKEN is set and was not sent',
    body: GatewayException.invalidApiKey(TOKEN_REQUIRED).body,
  })
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
      throw GatewayException.invalidApiKey(TOKEN_REQUIRED);
    }
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
