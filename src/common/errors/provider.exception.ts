import { HttpStatus } from '@nestjs/common';

import { GatewayException } from './gateway.exception';
import { OpenAiErrorBody } from './openai-error';

export type ProviderFailureKind = 'upstream_error' | 'unreachable' | 'timeout' | 'bad_response';

/**
 * A failure of an upstream provider, already translated into what the client should see.
 * `retryable` tells routing (retries, fallbacks) whether another attempt may succeed.
 */
export class ProviderException extends GatewayException {
  constructor(
    readonly providerId: string,
    readonly kind: ProviderFailureKind,
    status: number,
    body: OpenAiErrorBody,
    readonly retryable: boolean,
    headers: Record<string, string> = {},
  ) {
    super(status, body, headers);
  }

  static unreachable(providerId: string, detail: string) {
    return new ProviderException(
      providerId,
      'unreachable',
      HttpStatus.BAD_GATEWAY,
      {
        message: `The upstream provider "${providerId}" could not be reached (${detail}).`,
        type: 'server_error',
        param: null,
        code: 'upstream_unreachable',
      },
      true,
    );
  }

  static timeout(providerId: string, timeoutMs: number) {
    return new ProviderException(
      providerId,
      'timeout',
      HttpStatus.GATEWAY_TIMEOUT,
      {
        message: `The upstream provider "${providerId}" did not answer within ${timeoutMs} ms.`,
        type: 'server_error',
        param: null,
        code: 'upstream_timeout',
      },
      true,
    );
  }

  static badResponse(providerId: string, detail: string) {
    return new ProviderException(
      providerId,
      'bad_response',
      HttpStatus.BAD_GATEWAY,
      {
        message: `The upstream provider "${providerId}" sent an invalid response (${detail}).`,
        type: 'server_error',
        param: null,
        code: 'upstream_bad_response',
      },
      true,
    );
  }
}
