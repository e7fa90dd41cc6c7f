import { StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EventEmitter } from 'node:events';

import { ApiKeyIdentity } from '../auth/api-key.types';
import { GatewayLifecycle } from '../lifecycle/gateway-lifecycle';
import { ChatCompletion, ChatCompletionRequest } from '../providers/chat.types';
import { FakeChatProvider } from '../providers/testing/fake-chat-provider';
import { RoutePlan } from '../routing/route-planner.service';
import { RoutingConfig } from '../routing/routing.config';
import { TokenLimiter } from '../throttling/token-limiter.service';
import { throttlingConfig } from '../throttling/throttling.config';
import { CompletionResponder } from './completion-responder';
import { plannedCompletions } from './testing/planned-completions';

const ROUTING: RoutingConfig = {
  retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
  circuit: { failureRate: 0.5, minCalls: 100, windowMs: 30_000, halfOpenAfterMs: 15_000 },
};

/** An Express response as far as the responder uses it, recording what was sent. */
class RecordingResponse extends EventEmitter {
  readonly headers: Record<string, string> = {};
  readonly trailers: Record<string, string>[] = [];
  writableFinished = false;
  destroyed = false;

  set(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }

  setHeader(name: string, value: string | number): this {
    this.headers[name] = String(value);
    return this;
  }

  addTrailers(trailers: Record<string, string>): void {
    this.trailers.push(trailers);
  }
}

function responderFor(plan: RoutePlan, tpm?: number) {
  const { service: completions, planned } = plannedCompletions(plan, ROUTING);
  const config = { ...throttlingConfig(), redisUrl: undefined, tpm };
  const responder = new CompletionResponder(
    completions,
    new TokenLimiter(config),
    new GatewayLifecycle(),
  );
  return { responder, planned };
}

function exchange(headers: Record<string, string> = {}) {
  const request = {
    headers,
    apiKey: { id: 'team-a' } as ApiKeyIdentity,
    id: 'req-1',
  } as unknown as Request;
  const response = new RecordingResponse();
  return { request, response, asResponse: response as unknown as Response };
}

const ask = (fields: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content: 'Hi there' }],
  ...fields,
});

async function text(file: StreamableFile): Promise<string> {
  let body = '';
  for await (const piece of file.getStream()) {
    body += String(piece);
  }
  return body;
}

describe('CompletionResponder', () => {
  it('should answer JSON with the served route as headers and log the model that served', async () => {
    const openai = new FakeChatProvider('openai').answers({ content: 'hello' });
    const { responder, planned } = responderFor({
      candidates: [
        { provider: openai, upstreamModel: 'gpt-4o-mini', label: 'gpt-4o-mini', circuit: 'o/m' },
      ],
      selectionReason: 'tier=small',
    });
    const { request, response, asResponse } = exchange({ 'x-gateway-policy': 'cost' });

    const answer = (await responder.respond(ask(), request, asResponse)) as ChatCompletion;

    expect(answer.choices[0].message.content).toBe('hello');
    expect(response.headers).toEqual({
      'x-gateway-selected-model': 'gpt-4o-mini',
      'x-gateway-selection-reason': 'tier=small',
    });
    expect(request.gatewayModel).toBe('gpt-4o-mini');
    expect(planned[0].policyHeader).toBe('cost');
  });

  it('should reserve tokens from the same profile the planner gets', async () => {
    const openai = new FakeChatProvider('openai');
    const { responder, planned } = responderFor(
      { candidates: [{ provider: openai, upstreamModel: 'm', label: 'm', circuit: 'o/m' }] },
      10_000,
    );
    const { request, response, asResponse } = exchange();

    await responder.respond(ask({ max_tokens: 100 }), request, asResponse);

    const profile = planned[0].profile!();
    expect(profile.requestedOutputTokens).toBe(100);
    // Reserved: the prompt estimate plus the asked-for output; then settled from usage.
    expect(response.headers['x-ratelimit-remaining-tokens']).toBe(
      String(10_000 - profile.promptTokens - 100),
    );
  });

  it('should stream SSE with the route as headers and what came later as trailers', async () => {
    const straico = new FakeChatProvider('straico').answers({
      content: 'Hello there',
      facts: { model: 'straico/claude', selectionReason: 'best fit', coins: 2 },
    });
    const { responder } = responderFor({
      candidates: [{ provider: straico, upstreamModel: 'auto', label: 'auto', circuit: 's/a' }],
    });
    const { request, response, asResponse } = exchange();

    const file = await responder.respond(ask({ stream: true }), request, asResponse);

    expect(file).toBeInstanceOf(StreamableFile);
    expect(response.headers).toMatchObject({
      'x-gateway-selected-model': 'auto',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    const frames = (await text(file as StreamableFile)).split('\n\n').filter(Boolean);
    expect(frames).toHaveLength(3);
    expect(frames[2]).toBe('data: [DONE]');
    expect(JSON.parse(frames[0].slice('data: '.length))).toMatchObject({
      choices: [{ delta: { content: 'Hello' } }],
    });
    expect(response.trailers).toEqual([
      {
        'x-gateway-selected-model': 'straico/claude',
        'x-gateway-selection-reason': 'best fit',
        'x-straico-coins': '2',
      },
    ]);
  });
});
