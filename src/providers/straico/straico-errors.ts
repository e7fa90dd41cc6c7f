import { HttpStatus } from '@nestjs/common';

import { GatewayException } from '../../common/errors/gateway.exception';
import { ProviderException } from '../../common/errors/provider.exception';
import { closestModels } from '../shared/model-suggestions';
import { fromUpstreamError, retryHeaders } from '../shared/upstream-errors';

const PROVIDER = 'straico';

/**
 * A Straico error answer in OpenAI's terms. Straico's `error` is a string or an object with a
 * `message`; its statuses do not always mean what OpenAI's do (an oversized context is a 500).
 */
export function fromStraicoError(
  status: number,
  rawBody: string,
  headers: Record<string, unknown>,
  knownModels: readonly string[],
): ProviderException {
  if (status === 401 || status === 403) {
    return fromUpstreamError(PROVIDER, status, rawBody, headers);
  }
  const message = straicoErrorMessage(rawBody) ?? `Straico answered with HTTP ${status}.`;
  const forwarded = retryHeaders(headers);
  const notFound = /model not found:?\s*(.*)$/i.exec(message);
  if (notFound) {
    return modelNotFound(notFound[1].trim() || 'requested', knownModels);
  }
  if (/excessively large context/i.test(message)) {
    return new ProviderException(
      PROVIDER,
      'upstream_error',
      HttpStatus.BAD_REQUEST,
      {
        message: `The conversation is too long for this model's context window (Straico: ${oneLine(message)})`,
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
      false,
    );
  }
  if (status === 429) {
    return new ProviderException(
      PROVIDER,
      'upstream_error',
      HttpStatus.TOO_MANY_REQUESTS,
      {
        message: `Straico rate limit: ${message}`,
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
      true,
      forwarded,
    );
  }
  if (status === 404) {
    // A missing route, not a missing model: the gateway's Straico base URL is wrong.
    return new ProviderException(
      PROVIDER,
      'upstream_error',
      HttpStatus.BAD_GATEWAY,
      {
        message: `Straico has no such endpoint (${message}); check STRAICO_BASE_URL.`,
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      },
      false,
    );
  }
  if (status >= 500 || status === 408) {
    return new ProviderException(
      PROVIDER,
      'upstream_error',
      HttpStatus.BAD_GATEWAY,
      {
        message: `Straico failed: ${message}`,
        type: 'server_error',
        param: null,
        code: 'upstream_error',
      },
      true,
      forwarded,
    );
  }
  return new ProviderException(
    PROVIDER,
    'upstream_error',
    HttpStatus.BAD_REQUEST,
    {
      message: `Straico rejected the request: ${message}`,
      type: 'invalid_request_error',
      param: null,
      code: 'upstream_rejected',
    },
    false,
  );
}

/** 404 naming the closest ids Straico lists, since ids are easy to guess wrong. */
export function modelNotFound(model: string, knownModels: readonly string[]): ProviderException {
  const suggestions = closestModels(model, knownModels).map((id) => `${PROVIDER}/${id}`);
  // Named as listed by GET /v1/models, which is how clients address Straico models.
  const listedAs =
    model.startsWith(`${PROVIDER}/`) || model.startsWith('auto') ? model : `${PROVIDER}/${model}`;
  const { body } = GatewayException.modelNotFound(listedAs, suggestions);
  return new ProviderException(PROVIDER, 'upstream_error', HttpStatus.NOT_FOUND, body, false);
}

export function straicoErrorMessage(rawBody: string): string | null {
  try {
    const parsed = JSON.parse(rawBody) as { error?: unknown; message?: unknown };
    const error = parsed?.error ?? parsed?.message;
    if (typeof error === 'string') {
      return error;
    }
    if (
      error &&
      typeof error === 'object' &&
      typeof (error as { message?: unknown }).message === 'string'
    ) {
      return (error as { message: string }).message;
    }
  } catch {
    // not JSON
  }
  return null;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
