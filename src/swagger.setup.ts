import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

import { metricsConfig, MetricsConfig } from './metrics/metrics.config';

const BEARER = 'bearer';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, both public. */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('LLM gateway')
    .setDescription(
      'OpenAI-compatible chat completions behind proxy keys, rate limits and validation. ' +
        "Point any OpenAI client at `<this host>/v1`. Errors use OpenAI's envelope " +
        '`{"error":{"message","type","param","code"}}`.',
    )
    .setVersion('0.1.0')
    // Listed in the order a newcomer needs them, not in the order modules happen to register.
    .addTag('chat', 'Chat Completions, as the OpenAI clients call them')
    .addTag('responses', 'The Responses API, which newer clients use by default')
    .addTag('memory', 'Completions that remember per namespace, and the memories themselves')
    .addTag('models', 'The models this gateway can serve')
    .addTag('health', 'Probes for Kubernetes')
    .addTag('ops', 'Prometheus metrics')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key',
        description: 'A proxy key of this gateway (for /metrics: METRICS_TOKEN, when set)',
      },
      BEARER,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  lockMetricsWhenTokenSet(document, app.get<MetricsConfig>(metricsConfig.KEY));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

/** /metrics is open by default; the lock is shown only when METRICS_TOKEN makes it true. */
function lockMetricsWhenTokenSet(document: OpenAPIObject, metrics: MetricsConfig): void {
  const scrape = document.paths['/metrics']?.get;
  if (scrape && metrics.token !== undefined) {
    scrape.security = [{ [BEARER]: [] }];
  }
}
