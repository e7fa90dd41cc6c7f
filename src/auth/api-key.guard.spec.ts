import 'reflect-metadata';

import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { IncomingMessage } from 'node:http';

import { GatewayException } from '../common/errors/gateway.exception';
import { Public } from '../common/http/public.decorator';
import { apiKeyOf } from './api-key.decorator';
import { ApiKeyGuard, presentedKeys } from './api-key.guard';
import { ApiKeyService } from './api-key.service';

@Controller()
class GuardedController {
  @Get()
  chat(): void {}

  @Public()
  @Get()
  probe(): void {}
}

@Public()
@Controller()
class PublicController {
  @Get()
  docs(): void {}
}

type Handler = 'chat' | 'probe' | 'docs';

function request(headers: Record<string, string> = {}): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

function contextFor(req: IncomingMessage, handler: Handler = 'chat'): ExecutionContextHost {
  const controller = handler === 'docs' ? PublicController : GuardedController;
  const method = (controller.prototype as unknown as Record<Handler, () => void>)[handler];
  return new ExecutionContextHost([req, {}], controller, method);
}

/** The guard's refusal, or undefined when it let the request through. */
function refusal(guard: ApiKeyGuard, req: IncomingMessage, handler?: Handler) {
  try {
    expect(guard.canActivate(contextFor(req, handler))).toBe(true);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayException);
    return { status: (error as GatewayException).getStatus(), ...(error as GatewayException).body };
  }
}

describe('ApiKeyGuard', () => {
  const keys = new ApiKeyService({
    apiKeys: ['sk-one', 'sk-two'],
    keysFile: undefined,
    disabled: false,
  });
  const guard = new ApiKeyGuard(new Reflector(), keys);

  it('accepts a configured key as a bearer token and puts its identity on the request', () => {
    const req = request({ authorization: 'Bearer sk-two' });
    expect(refusal(guard, req)).toBeUndefined();
    expect(apiKeyOf(req)).toEqual({ id: 'env-key-2' });
  });

  it('accepts the key in x-api-key, next to an empty or wrong bearer an SDK sent by default', () => {
    const req = request({ authorization: 'Bearer sk-not-a-key', 'x-api-key': 'sk-one' });
    expect(refusal(guard, req)).toBeUndefined();
    expect(req.apiKey?.id).toBe('env-key-1');
  });

  it('refuses a request without a key, saying where to send one', () => {
    const refused = refusal(guard, request());
    expect(refused).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(refused?.message).toContain('Authorization: Bearer');
  });

  it('refuses a wrong key without echoing it', () => {
    const refused = refusal(guard, request({ 'x-api-key': 'sk-secret-typo' }));
    expect(refused).toMatchObject({ status: 401, message: 'Incorrect API key provided.' });
    expect(JSON.stringify(refused)).not.toContain('sk-secret-typo');
  });

  it('lets public handlers and public controllers through without a key or identity', () => {
    const probe = request();
    expect(refusal(guard, probe, 'probe')).toBeUndefined();
    expect(refusal(guard, request(), 'docs')).toBeUndefined();
    expect(probe.apiKey).toBeUndefined();
    expect(() => apiKeyOf(probe)).toThrow(/No API key/);
  });

  it('with auth disabled, lets every request through as anonymous', () => {
    const open = new ApiKeyGuard(
      new Reflector(),
      new ApiKeyService({ apiKeys: [], keysFile: undefined, disabled: true }),
    );
    const req = request({ authorization: 'Bearer whatever' });
    expect(refusal(open, req)).toBeUndefined();
    expect(req.apiKey).toEqual({ id: 'anonymous' });
  });
});

describe('presentedKeys', () => {
  it('reads the bearer token and a different x-api-key, each once', () => {
    expect(presentedKeys(request({ authorization: 'bearer  sk-a ', 'x-api-key': 'sk-b' }))).toEqual(
      ['sk-a', 'sk-b'],
    );
    expect(presentedKeys(request({ authorization: 'Bearer sk-a', 'x-api-key': 'sk-a' }))).toEqual([
      'sk-a',
    ]);
  });

  it('takes repeated copies of one x-api-key as that key, and different ones as none', () => {
    expect(presentedKeys(request({ 'x-api-key': 'sk-a, sk-a' }))).toEqual(['sk-a']);
    expect(presentedKeys(request({ 'x-api-key': 'sk-a, sk-b' }))).toEqual([]);
  });

  it('ignores an Authorization header that is not a bearer token', () => {
    expect(presentedKeys(request({ authorization: 'Basic dXNlcjpwYXNz' }))).toEqual([]);
  });
});
