import type { IncomingMessage, ServerResponse } from 'node:http';

import { ProviderException } from '../common/errors/provider.exception';
import { ChatCompletionChunk } from '../providers/chat.types';
import { MetricsService } from './metrics.service';
import { BoundedLabel, routeLabel } from './request-metrics';
import { upstreamErrorKind } from './upstream-meter';

async function value(metrics: MetricsService, name: string, labels: Record<string, string> = {}) {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  const matching = metric.values.filter((sample) =>
    Object.entries(labels).every(
      ([label, expected]) => String((sample.labels as Record<string, unknown>)[label]) === expected,
    ),
  );
  return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
}

function chunk(
  delta: Record<string, unknown>,
  usage?: Record<string, number>,
): ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...(usage ? { usage: { total_tokens: 0, ...usage } } : {}),
  } as ChatCompletionChunk;
}

describe('MetricsService', () => {
  let metrics: MetricsService;

  beforeEach(() => {
    metrics = new MetricsService();
  });

  describe('requestFinished', () => {
    const request = (path?: string) =>
      ({ method: 'POST', route: path ? { path } : undefined }) as unknown as IncomingMessage;
    const response = (statusCode: number, writableFinished = true) =>
      ({ statusCode, writableFinished }) as unknown as ServerResponse;

    it('should count by route pattern and status, with the served provider and model', async () => {
      const timing = metrics.startRequest();
      timing.provider = 'openai';
      timing.model = 'gpt-4o-mini';
      timing.upstreamNs = 1n;
      metrics.requestFinished(request('/v1/chat/completions'), response(200), timing);
      const labels = { route: '/v1/chat/completions', method: 'POST', status: '200' };
      expect(
        await value(metrics, 'gateway_http_requests_total', {
          ...labels,
          provider: 'openai',
          model: 'gpt-4o-mini',
        }),
      ).toBe(1);
      expect(await value(metrics, 'gateway_overhead_seconds', { le: '+Inf' })).toBe(1);
    });

    it('should report a client that left as 499 and skip the overhead without an upstream', async () => {
      metrics.requestFinished(
        request('/health/live'),
        response(200, false),
        metrics.startRequest(),
      );
      expect(
        await value(metrics, 'gateway_http_requests_total', { status: '499', provider: 'unknown' }),
      ).toBe(1);
      expect(await value(metrics, 'gateway_overhead_seconds')).toBeUndefined();
    });
  });

  describe('upstream meter', () => {
    const signal = new AbortController().signal;

    it('should count retries, errors by kind, fallbacks, tokens and the upstream time', async () => {
      const timing = metrics.startRequest();
      const meter = metrics.upstreamMeter(timing, signal);
      meter.attempt('openai', false);
      meter.failed(ProviderException.timeout('openai', 10), 'openai');
      meter.attempt('openai', true);
      meter.failed(ProviderException.unreachable('openai', 'ECONNREFUSED'), 'openai');
      meter.fellBack('openai');
      meter.attempt('straico', false);
      meter.servedBy('straico', 'claude');
      meter.usage({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
      meter.end();
      meter.end();

      expect(await value(metrics, 'gateway_upstream_retries_total', { provider: 'openai' })).toBe(
        1,
      );
      expect(await value(metrics, 'gateway_upstream_errors_total', { kind: 'timeout' })).toBe(1);
      expect(await value(metrics, 'gateway_upstream_errors_total', { kind: 'connect' })).toBe(1);
      expect(await value(metrics, 'gateway_fallbacks_total', { provider: 'openai' })).toBe(1);
      const served = { provider: 'straico', model: 'claude' };
      expect(await value(metrics, 'gateway_prompt_tokens_total', served)).toBe(7);
      expect(await value(metrics, 'gateway_completion_tokens_total', served)).toBe(3);
      expect(
        await value(metrics, 'gateway_upstream_duration_seconds', { ...served, le: '+Inf' }),
      ).toBe(1);
      expect(timing).toMatchObject(served);
      expect(timing.upstreamNs).toBeGreaterThan(0n);
    });

    it('should time the first token at the first chunk with content, and count stream usage', async () => {
      const meter = metrics.upstreamMeter(metrics.startRequest(), signal);
      meter.servedBy('openai', 'gpt-4o-mini');
      meter.chunk(chunk({ role: 'assistant', content: '' }));
      expect(await value(metrics, 'gateway_time_to_first_token_seconds')).toBeUndefined();
      meter.chunk(chunk({ content: 'Hi' }));
      meter.chunk(chunk({ content: ' there' }));
      meter.chunk({
        ...chunk({}),
        choices: [],
        usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      });
      expect(await value(metrics, 'gateway_time_to_first_token_seconds', { le: '+Inf' })).toBe(1);
      expect(await value(metrics, 'gateway_completion_tokens_total')).toBe(2);
    });

    it('should not blame the upstream for a client that left or an open circuit', async () => {
      const aborted = new AbortController();
      aborted.abort();
      metrics.upstreamMeter(undefined, aborted.signal).failed(ProviderException.timeout('x', 1));
      metrics.upstreamMeter(undefined, signal).failed(new Error('Breaker is open'));
      expect(await value(metrics, 'gateway_upstream_errors_total')).toBeUndefined();
    });
  });

  it('should bound the throttled counter by key id', async () => {
    metrics.throttled('team-a');
    metrics.throttled(undefined);
    expect(await value(metrics, 'gateway_throttled_requests_total', { key: 'team-a' })).toBe(1);
    expect(await value(metrics, 'gateway_throttled_requests_total', { key: 'unknown' })).toBe(1);
  });

  it('should observe memory recalls in seconds', async () => {
    metrics.memoryRecalled(12, 3);
    expect(await value(metrics, 'gateway_memory_retrieval_seconds', { le: '0.025' })).toBe(1);
    expect(await value(metrics, 'gateway_memory_injected_memories', { le: '4' })).toBe(1);
  });

  it('should render the text format', async () => {
    expect(await metrics.scrape()).toContain('# TYPE gateway_http_requests_total counter');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });
});

describe('upstreamErrorKind', () => {
  const upstream = (status: number) =>
    new ProviderException('openai', 'upstream_error', status, {} as never, false);

  it.each([
    ['a 429', upstream(429), 'rate_limited'],
    ['a 400', upstream(400), 'status_4xx'],
    ['a 503', upstream(503), 'status_5xx'],
    ['a bad response', ProviderException.badResponse('openai', 'x'), 'bad_response'],
    ['an error of no upstream', new Error('other'), undefined],
  ])('should classify %s', (_, error, kind) => {
    expect(upstreamErrorKind(error)).toBe(kind);
  });
});

describe('BoundedLabel', () => {
  it('should keep the first values and report the rest as other', () => {
    const label = new BoundedLabel(2);
    expect([label.of('a'), label.of('b'), label.of('c'), label.of('a'), label.of('')]).toEqual([
      'a',
      'b',
      'other',
      'a',
      'unknown',
    ]);
  });
});

describe('routeLabel', () => {
  it('should use the matched route pattern, else one shared value', () => {
    expect(routeLabel({ route: { path: '/v1/x/:id' } } as never)).toBe('/v1/x/:id');
    expect(routeLabel({} as never)).toBe('unmatched');
  });
});
