import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { GatewayException } from '../common/errors/gateway.exception';
import { ApiKeyService } from './api-key.service';
import { IS_PUBLIC_ROUTE } from './public.decorator';

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
    const presented = presentedKey(request);
    if (!presented) {
      throw GatewayException.invalidApiKey(
        "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key'.",
      );
    }
    const identity = this.apiKeys.verify(presented);
    if (!identity) {
      // The presented key is never echoed: it may be a real secret sent to the wrong place.
      throw GatewayException.invalidApiKey('Incorrect API key provided.');
    }
    request.apiKey = identity;
    return true;
  }
}

function presentedKey(request: Request): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    return match?.[1]?.trim() || undefined;
  }
  const headerKey = request.headers['x-api-key'];
  return typeof headerKey === 'string' && headerKey.length > 0 ? headerKey : undefined;
}
