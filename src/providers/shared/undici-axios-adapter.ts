import {
  AxiosAdapter,
  AxiosError,
  AxiosHeaders,
  AxiosResponse,
  CanceledError,
  InternalAxiosRequestConfig,
} from 'axios';
import type { Readable } from 'node:stream';
import { Dispatcher, errors as undiciErrors } from 'undici';

/**
 * An axios adapter over an undici dispatcher (a keep-alive Pool or Agent), so that axios calls
 * share the provider's connection pool instead of axios's default Node `http` adapter. Bodies are
 * read as text and left to axios's transformResponse; `responseType: 'stream'` hands back
 * undici's body stream untouched.
 *
 * Timeouts: `timeout` bounds the wait for the response headers and then every pause between
 * body chunks (undici's headersTimeout/bodyTimeout), so a long stream is never cut while it
 * keeps moving.
 */
export function createUndiciAdapter(dispatcher: Dispatcher): AxiosAdapter {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    const url = new URL(joinUrl(config.baseURL, config.url));
    const timeout = config.timeout && config.timeout > 0 ? config.timeout : undefined;
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: (config.method ?? 'get').toUpperCase(),
        headers: flattenHeaders(config.headers),
        body: config.data as string | Buffer | undefined,
        signal: config.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (error) {
      throw toAxiosError(error, config);
    }

    const headers = new AxiosHeaders(upstream.headers as Record<string, string>);
    let data: unknown;
    if (config.responseType === 'stream') {
      data = upstream.body;
    } else {
      try {
        data = await upstream.body.text();
      } catch (error) {
        throw toAxiosError(error, config);
      }
    }
    const response: AxiosResponse = {
      data,
      status: upstream.statusCode,
      statusText: '',
      headers,
      config,
      request: undefined,
    };
    const validateStatus = config.validateStatus;
    if (!validateStatus || validateStatus(upstream.statusCode)) {
      return response;
    }
    if (config.responseType === 'stream') {
      (data as Readable).destroy();
    }
    throw new AxiosError(
      `Request failed with status code ${upstream.statusCode}`,
      upstream.statusCode >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
      config,
      undefined,
      response,
    );
  };
}

function joinUrl(baseURL: string | undefined, path: string | undefined): string {
  if (!path) {
    return baseURL ?? '';
  }
  if (/^https?:\/\//i.test(path) || !baseURL) {
    return path;
  }
  return `${baseURL.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function flattenHeaders(headers: InternalAxiosRequestConfig['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers.toJSON(true))) {
    if (value !== undefined && value !== null && (value as unknown) !== false) {
      flat[name] = String(value);
    }
  }
  return flat;
}

/** Undici's errors in axios's vocabulary, so callers can tell timeouts from refusals. */
export function toAxiosError(error: unknown, config: InternalAxiosRequestConfig): AxiosError {
  if (error instanceof AxiosError) {
    return error;
  }
  if (config.signal?.aborted || (error as Error)?.name === 'AbortError') {
    return new CanceledError(undefined, config);
  }
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    const timeoutError = new AxiosError(
      `timeout of ${config.timeout}ms exceeded`,
      AxiosError.ETIMEDOUT,
      config,
    );
    timeoutError.cause = error;
    return timeoutError;
  }
  const cause = error as NodeJS.ErrnoException;
  const wrapped = new AxiosError(
    cause?.message ?? 'Network error',
    cause?.code ?? AxiosError.ERR_NETWORK,
    config,
  );
  wrapped.cause = cause;
  return wrapped;
}
