import { HttpException, HttpStatus } from '@nestjs/common';

import { OpenAiErrorBody } from './openai-error';

/**
 * An error the gateway answers on purpose: it carries the HTTP status, OpenAI's error body and
 * any headers the client needs (retry-after), and the exception filter sends it as it is.
 */
export class GatewayException extends HttpException {
  constructor(
    status: number,
    readonly body: OpenAiErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message, status);
  }

  static invalidRequest(message: string, param: string | null = null, code: string | null = null) {
    return new GatewayException(HttpStatus.BAD_REQUEST, {
      message,
      type: 'invalid_request_error',
      param,
      code,
    });
  }

  static invalidApiKey(message: string) {
    return new GatewayException(HttpStatus.UNAUTHORIZED, {
      message,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    });
  }

  static modelNotFound(model: string, suggestions: readonly string[] = []) {
    const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : '';
    return new GatewayException(HttpStatus.NOT_FOUND, {
      message: `The model \`${model}\` does not exist or you do not have access to it.${hint}`,
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
  }

  static modelNotAllowed(model: string) {
    return new GatewayException(HttpStatus.FORBIDDEN, {
      message: `This API key is not allowed to use the model \`${model}\`.`,
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_allowed',
    });
  }

  static rateLimited(message: string, retryAfterSeconds: number) {
    return new GatewayException(
      HttpStatus.TOO_MANY_REQUESTS,
      { message, type: 'requests', param: null, code: 'rate_limit_exceeded' },
      { 'retry-after': String(Math.max(1, retryAfterSeconds)) },
    );
  }

  static rateLimitUnavailable() {
    return new GatewayException(HttpStatus.SERVICE_UNAVAILABLE, {
      message: 'Rate limits cannot be checked right now; try again shortly.',
      type: 'server_error',
      param: null,
      code: 'rate_limit_unavailable',
    });
  }

  static notFound(message: string) {
    return new GatewayException(HttpStatus.NOT_FOUND, {
      message,
      type: 'invalid_request_error',
      param: null,
      code: 'not_found',
    });
  }

  static noProvider(message: string) {
    return new GatewayException(HttpStatus.SERVICE_UNAVAILABLE, {
      message,
      type: 'server_error',
      param: null,
      code: 'no_provider_available',
    });
  }

  static memoryNotFound(id: string) {
    return new GatewayException(HttpStatus.NOT_FOUND, {
      message: `No memory with id \`${id}\` in this namespace.`,
      type: 'invalid_request_error',
      param: 'id',
      code: 'memory_not_found',
    });
  }

  static memoryDisabled() {
    return new GatewayException(HttpStatus.NOT_FOUND, {
      message: 'Memory is disabled on this gateway (MEMORY_ENABLED=false).',
      type: 'invalid_request_error',
      param: null,
      code: 'memory_disabled',
    });
  }

  static memoryUnavailable() {
    return new GatewayException(HttpStatus.SERVICE_UNAVAILABLE, {
      message: 'The memory store is unavailable right now; try again shortly.',
      type: 'server_error',
      param: null,
      code: 'memory_unavailable',
    });
  }
}
