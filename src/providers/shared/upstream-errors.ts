import { HttpStatus } from '@nestjs/common';
import { AxiosError, isAxiosError } from 'axios';

import { OpenAiErrorBody } from '../../common/errors/openai-error';
import { ProviderException } from '../../common/errors/provider.exception';

const RETRYABLE_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504]);
const FORWARDED_HEADERS = ['retry-after', 'retry-after-ms'];

/**
 * An OpenAI-compatible upstream's error answer, kept as the client would have seen it from the
 * upstream directly (status and message), with one exception: the upstream rejecting the
 * gateway's own credentials is a gateway fault (502), not the caller's key being wrong.
 */
export function fromUpstreamError(
  providerId: string,
  status: number,
  rawBody: string,
  headers: Record<string, unknown> = {},
): ProviderException {
  const forwarded = retryHeaders(headers);
  if (status === 401 || status === 403) {
    return new ProviderException(
      providerId,
      'upstream_error',
      HttpStatus.BAD_GATEWAY,
      {
        message: `The upstream provider "${providerId}" rejected the gateway's credentials (HTTP ${status}). Your API key for this gateway is fine; the gateway operator must fix the provider key.`,
        type: 'server_error',
        param: null,
        code: 'upstream_auth_failed',
      },
      false,
    );
  }
  const body = parseErrorBody(rawBody, status);
  return new ProviderException(
    providerId,
    'upstream_error',
    status >= 400 && status <= 599 ? status : HttpStatus.BAD_GATEWAY,
    body,
    RETRYABLE_STATUSES.has(status),
    forwarded,
  );
}

/** The upstream's own wait hints, passed on so clients (and our retries) can honour them. */
export function retryHeaders(headers: Record<string, unknown>): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    if (typeof headers[name] === 'string') {
      forwarded[name] = headers[name];
    }
  }
  return forwarded;
}

export function parseErrorBody(rawBody: string, status: number): OpenAiErrorBody {
  try {
    const parsed = JSON.parse(rawBody) as { error?: unknown };
    const error = parsed?.error;
    if (error && typeof error === 'object') {
      return normaliseErrorObject(error as Record<string, unknown>, status);
    }
    if (typeof error === 'string') {
      return { message: error, type: defaultType(status), param: null, code: null };
    }
  } catch {
    // Not JSON: fall through to a generic message rather than echoing an HTML error page.
  }
  return {
    message: `The upstream provider answered with HTTP ${status}.`,
    type: defaultType(status),
    param: null,
    code: null,
  };
}

export function normaliseErrorObject(
  error: Record<string, unknown>,
  status: number,
): OpenAiErrorBody {
  return {
    message: typeof error.message === 'string' ? error.message : `Upstream error (HTTP ${status})`,
    type: typeof error.type === 'string' ? error.type : defaultType(status),
    param: typeof error.param === 'string' ? error.param : null,
    code:
      typeof error.code === 'string' || typeof error.code === 'number' ? String(error.code) : null,
  };
}

function defaultType(status: number): string {
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** Transport failures: timeouts become 504, everything else that never got an answer 502. */
export function fromTransportError(
  providerId: string,
  error: unknown,
  timeoutMs: number,
): ProviderException | Error {
  if (error instanceof ProviderException) {
    return error;
  }
  const code = isAxiosError(error) ? error.code : (error as NodeJS.ErrnoException)?.code;
  // The client went away: nothing to report upstream-wise, and nobody is left to answer.
  if (
    code === AxiosError.ERR_CANCELED ||
    code === 'UND_ERR_ABORTED' ||
    (error as Error)?.name === 'AbortError'
  ) {
    return error as Error;
  }
  if (
    code === AxiosError.ETIMEDOUT ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return ProviderException.timeout(providerId, timeoutMs);
  }
  return ProviderException.unreachable(providerId, code ?? 'connection failed');
}
