import { HttpStatus } from '@nestjs/common';

import { GatewayException } from '../errors/gateway.exception';
import { OpenAiErrorBody } from '../errors/openai-error';
import { ProviderException } from '../errors/provider.exception';

/** One documented error answer: its status, what it means, and a body the gateway really sends. */
export interface ErrorExample {
  status: number;
  description: string;
  body: OpenAiErrorBody;
}

/**
 * Where the gateway raises an error through a factory, the example comes from that factory, so
 * the docs cannot drift from the answers; the others are copied from real answers.
 */
export const ERROR_EXAMPLES: Readonly<Record<number, ErrorExample>> = {
  [HttpStatus.BAD_REQUEST]: {
    status: HttpStatus.BAD_REQUEST,
    description: 'Invalid request (`param` names the field)',
    body: GatewayException.invalidRequest(
      "Invalid 'temperature': temperature must not be greater than 2",
      'temperature',
      'invalid_value',
    ).body,
  },
  [HttpStatus.UNAUTHORIZED]: {
    status: HttpStatus.UNAUTHORIZED,
    description: 'Missing or invalid proxy API key (`invalid_api_key`)',
    body: GatewayException.invalidApiKey('Incorrect API key provided.').body,
  },
  [HttpStatus.FORBIDDEN]: {
    status: HttpStatus.FORBIDDEN,
    description: 'The key may not use this model (`model_not_allowed`)',
    body: GatewayException.modelNotAllowed('gpt-4o').body,
  },
  [HttpStatus.NOT_FOUND]: {
    status: HttpStatus.NOT_FOUND,
    description: 'Unknown model (`model_not_found`, with the closest known ids)',
    body: GatewayException.modelNotFound('gpt-4o-mni', ['gpt-4o-mini', 'gpt-4o']).body,
  },
  [HttpStatus.PAYLOAD_TOO_LARGE]: {
    status: HttpStatus.PAYLOAD_TOO_LARGE,
    description: 'Request body over `BODY_LIMIT` (`request_too_large`)',
    body: {
      message: 'The request body is larger than this gateway accepts.',
      type: 'invalid_request_error',
      param: null,
      code: 'request_too_large',
    },
  },
  [HttpStatus.TOO_MANY_REQUESTS]: {
    status: HttpStatus.TOO_MANY_REQUESTS,
    description: 'Rate limit reached (`rate_limit_exceeded`, see `retry-after`)',
    body: GatewayException.rateLimited(
      'Rate limit reached for requests: limit 60 per 1m0s. Please try again in 42s.',
      42,
    ).body,
  },
  [HttpStatus.INTERNAL_SERVER_ERROR]: {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    description: 'Unexpected failure; the error id is also in the log',
    body: {
      message:
        'The server had an error while processing your request ' +
        '(error id 0b7c4a52-6a4e-4f0e-9d2b-3f5c8f1d2e7a).',
      type: 'server_error',
      param: null,
      code: null,
    },
  },
  [HttpStatus.BAD_GATEWAY]: {
    status: HttpStatus.BAD_GATEWAY,
    description:
      "Upstream provider unreachable (`upstream_unreachable`), rejecting the gateway's " +
      'credentials (`upstream_auth_failed`) or sending an invalid answer',
    body: ProviderException.unreachable('openai', 'ECONNREFUSED').body,
  },
  [HttpStatus.SERVICE_UNAVAILABLE]: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    description:
      'No route can serve the request: every circuit open, or no provider configured ' +
      '(`no_provider_available`)',
    body: GatewayException.noProvider(
      'No route can serve this request right now: gpt-4o (circuit open), gpt-4.1 (circuit open).',
    ).body,
  },
  [HttpStatus.GATEWAY_TIMEOUT]: {
    status: HttpStatus.GATEWAY_TIMEOUT,
    description: 'Upstream provider timed out (`upstream_timeout`)',
    body: ProviderException.timeout('openai', 300_000).body,
  },
};

/** Memory routes name what they work on: a namespace and memory ids, in a store of their own. */
export const INVALID_NAMESPACE: ErrorExample = {
  status: HttpStatus.BAD_REQUEST,
  description: 'Invalid `namespace` or other parameter (`param` names it)',
  body: GatewayException.invalidRequest(
    "Invalid 'namespace': namespace must be 1-128 characters of A-Z, a-z, 0-9 and . _ : @ -",
    'namespace',
    'invalid_value',
  ).body,
};

export const MEMORY_NOT_FOUND: ErrorExample = {
  status: HttpStatus.NOT_FOUND,
  description: 'No memory with this id in the namespace (`memory_not_found`)',
  body: GatewayException.memoryNotFound('5f0e6a52-3c1d-4b7e-9a2f-8d4c6b1e0a93').body,
};

export const MEMORY_UNAVAILABLE: ErrorExample = {
  status: HttpStatus.SERVICE_UNAVAILABLE,
  description: 'The memory store is unavailable (`memory_unavailable`)',
  body: GatewayException.memoryUnavailable().body,
};
