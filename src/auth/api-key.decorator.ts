import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

import { ApiKeyIdentity } from './api-key.types';

/**
 * The caller's key as the API key guard accepted it (`anonymous` when auth is off). Only
 * routes behind the guard have one: on a @Public() route this is a programming error, said
 * loudly rather than handed on as undefined.
 */
export function apiKeyOf(request: IncomingMessage): ApiKeyIdentity {
  if (request.apiKey === undefined) {
    throw new Error('No API key on the request: @ApiKey() used on a route the guard skips');
  }
  return request.apiKey;
}

/** Handler parameter: `create(@ApiKey() apiKey: ApiKeyIdentity)`. */
export const ApiKey = createParamDecorator((_: unknown, context: ExecutionContext) =>
  apiKeyOf(context.switchToHttp().getRequest<IncomingMessage>()),
);
