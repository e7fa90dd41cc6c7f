import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';

import { GatewayException } from '../common/errors/gateway.exception';
import { ApiKeyService } from './api-key.service';
import { IS_PUBLIC_ROUTE } from '../common/http/public.decorator';

const ANONYMOUS = { id: 'anonymous' } as const;

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request>();
    if (this.apiKeys.authDisabled) {
      request.apiKey = ANONYMOUS;
      return true;
    }
    const presented = presentedKeys(request);
    if (presented.length === 0) {
      throw GatewayException.invalidApiKey(
        "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key'.",
      );
    }
    // A valid key in either header is enough, whatever the other holds (an SDK's empty default
    // bearer next to a real x-api-key, say).
    let identity: ReturnType<ApiKeyService['verify']>;
    for (const key of presented) {
      identity ??= this.apiKeys.verify(key);
    }
    if (!identity) {
      // The presented key is never echoed: it may be a real secret sent to the wrong place.
      throw GatewayException.invalidApiKey('Incorrect API key provided.');
    }
    request.apiKey = identity;
    return true;
  }
}

/**
 * The keys a request presents: the bearer token and the x-api-key value, each at most once.
 * Node joins the copies of a repeated x-api-key with ", ": they count when every copy is the
 * same key. (Of a repeated Authorization, Node keeps the first.)
 */
export function presentedKeys(request: IncomingMessage): string[] {
  const keys: string[] = [];
  const bearer = request.headers.authorization;
  const token = bearer === undefined ? undefined : BEARER.exec(bearer)?.[1]?.trim();
  if (token) {
    keys.push(token);
  }
  let headerKey = request.headers['x-api-key'];
  if (typeof headerKey === 'string' && headerKey.includes(',')) {
    // No key holds a comma: these are copies, joined by Node or by a proxy on the way.
    const copies = headerKey.split(',').map((copy) => copy.trim());
    headerKey = copies.every((copy) => copy === copies[0]) ? copies[0] : undefined;
  }
  headerKey = typeof headerKey === 'string' ? headerKey.trim() : undefined;
  if (headerKey && headerKey !== token) {
    keys.push(headerKey);
  }
  return keys;
}

const BEARER = /^Bearer\s+(.+)$/i;
