import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { MetricsService } from './metrics.service';

/**
 * Times every request for two clock reads, one counter increment and one or two observations. It
 * listens for `close` rather than `finish`: a client that leaves mid-stream never gets a
 * finished response, and would otherwise go uncounted.
 */
@Injectable()
export class MetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    // Idempotent: a request is timed once however often the middleware is mounted.
    if (request.gatewayMetrics !== undefined) {
      next();
      return;
    }
    const timing = this.metrics.startRequest();
    request.gatewayMetrics = timing;
    response.once('close', () => this.metrics.requestFinished(request, response, timing));
    next();
  }
}
