import { AxiosError, AxiosHeaders, CanceledError } from 'axios';

import { ProviderException } from '../../common/errors/provider.exception';
import {
  fromTransportError,
  fromUpstreamError,
  normaliseErrorObject,
  parseErrorBody,
} from './upstream-errors';

const openAiError = (error: Record<string, unknown>) => JSON.stringify({ error });

describe('fromUpstreamError', () => {
  it('should keep the status, message, type, param and code of an OpenAI error body', () => {
    const exception = fromUpstreamError(
      'openai',
      400,
      openAiError({
        message: "Invalid value for 'temperature'.",
        type: 'invalid_request_error',
        param: 'temperature',
        code: 'invalid_value',
      }),
    );
    expect(exception).toBeInstanceOf(ProviderException);
    expect(exception.getStatus()).toBe(400);
    expect(exception.body).toEqual({
      message: "Invalid value for 'temperature'.",
      type: 'invalid_request_error',
      param: 'temperature',
      code: 'invalid_value',
    });
    expect(exception.providerId).toBe('openai');
    expect(exception.kind).toBe('upstream_error');
    expect(exception.message).toBe("Invalid value for 'temperature'.");
  });

  it('should keep a 404 model_not_found answer as it is', () => {
    const exception = fromUpstreamError(
      'openai',
      404,
      openAiError({
        message: 'The model `gpt-9` does not exist',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      }),
    );
    expect(exception.getStatus()).toBe(404);
    expect(exception.body.code).toBe('model_not_found');
    expect(exception.body.param).toBeNull();
    expect(exception.retryable).toBe(false);
  });

  it.each([401, 403])(
    'should map upstream %i to a 502 upstream_auth_failed without the upstream message',
    (status) => {
      const exception = fromUpstreamError(
        'openai',
        status,
        openAiError({ message: 'Incorrect API key provided: sk-live-****1234', type: 'x' }),
        { 'retry-after': '5' },
      );
      expect(exception.getStatus()).toBe(502);
      expect(exception.body.code).toBe('upstream_auth_failed');
      expect(exception.body.type).toBe('server_error');
      expect(exception.body.param).toBeNull();
      expect(exception.body.message).toContain(`HTTP ${status}`);
      expect(exception.body.message).not.toContain('sk-live');
      expect(exception.retryable).toBe(false);
      expect(exception.headers).toEqual({});
    },
  );

  it.each([
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [404, false],
    [413, false],
    [422, false],
    [501, false],
  ])('should mark status %i as retryable=%p', (status, retryable) => {
    const exception = fromUpstreamError('openai', status, openAiError({ message: 'x' }));
    expect(exception.retryable).toBe(retryable);
    expect(exception.getStatus()).toBe(status);
  });

  it('should forward retry-after and retry-after-ms and nothing else', () => {
    const exception = fromUpstreamError(
      'openai',
      429,
      openAiError({ message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' }),
      {
        'retry-after': '20',
        'retry-after-ms': '19500',
        'x-ratelimit-remaining-requests': '0',
        'set-cookie': ['a=b'],
      },
    );
    expect(exception.getStatus()).toBe(429);
    expect(exception.headers).toEqual({ 'retry-after': '20', 'retry-after-ms': '19500' });
    expect(exception.body.type).toBe('requests');
    expect(exception.body.code).toBe('rate_limit_exceeded');
  });

  it('should forward retry-after from axios response headers built from lower-case names', () => {
    // The undici adapter builds AxiosHeaders from undici's lower-cased header names.
    const headers = new AxiosHeaders({ 'retry-after': '3', 'content-type': 'text/plain' });
    const exception = fromUpstreamError('openai', 503, 'busy', headers);
    expect(exception.headers).toEqual({ 'retry-after': '3' });
  });

  it('should ignore a non-string retry-after', () => {
    const exception = fromUpstreamError('openai', 429, '', { 'retry-after': 7 });
    expect(exception.headers).toEqual({});
  });

  it('should not echo a non-JSON body', () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    const exception = fromUpstreamError('openai', 502, html);
    expect(exception.getStatus()).toBe(502);
    expect(exception.body).toEqual({
      message: 'The upstream provider answered with HTTP 502.',
      type: 'server_error',
      param: null,
      code: null,
    });
    expect(exception.retryable).toBe(true);
  });

  it('should use a string error as the message', () => {
    const exception = fromUpstreamError('openai', 400, JSON.stringify({ error: 'bad model name' }));
    expect(exception.body).toEqual({
      message: 'bad model name',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
  });

  it('should answer 502 for a status outside 400-599', () => {
    const exception = fromUpstreamError('openai', 302, 'Found');
    expect(exception.getStatus()).toBe(502);
    expect(exception.retryable).toBe(false);
  });
});

describe('parseErrorBody', () => {
  it.each<[string, string, number, string]>([
    ['an empty body', '', 500, 'server_error'],
    ['JSON null', 'null', 400, 'invalid_request_error'],
    ['JSON without an error field', '{"detail":"nope"}', 422, 'invalid_request_error'],
    ['an error field of another type', '{"error":42}', 503, 'server_error'],
  ])('should fall back to a generic message for %s', (_name, raw, status, type) => {
    expect(parseErrorBody(raw, status)).toEqual({
      message: `The upstream provider answered with HTTP ${status}.`,
      type,
      param: null,
      code: null,
    });
  });
});

describe('normaliseErrorObject', () => {
  it('should fill in missing fields from the status', () => {
    expect(normaliseErrorObject({}, 503)).toEqual({
      message: 'Upstream error (HTTP 503)',
      type: 'server_error',
      param: null,
      code: null,
    });
    expect(normaliseErrorObject({ message: 'x' }, 400).type).toBe('invalid_request_error');
  });

  it('should turn a numeric code into a string and drop non-string params', () => {
    expect(normaliseErrorObject({ message: 'm', code: 1234, param: 5 }, 400)).toEqual({
      message: 'm',
      type: 'invalid_request_error',
      param: null,
      code: '1234',
    });
  });
});

describe('fromTransportError', () => {
  it('should map an axios ETIMEDOUT to a retryable 504', () => {
    const error = new AxiosError('timeout of 30000ms exceeded', AxiosError.ETIMEDOUT);
    const exception = fromTransportError('openai', error, 30_000) as ProviderException;
    expect(exception).toBeInstanceOf(ProviderException);
    expect(exception.getStatus()).toBe(504);
    expect(exception.kind).toBe('timeout');
    expect(exception.body.code).toBe('upstream_timeout');
    expect(exception.body.message).toContain('30000 ms');
    expect(exception.retryable).toBe(true);
  });

  it.each(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])(
    'should map an undici %s error to 504',
    (code) => {
      const error = Object.assign(new Error('timeout'), { code });
      const exception = fromTransportError('openai', error, 1000) as ProviderException;
      expect(exception.getStatus()).toBe(504);
      expect(exception.body.code).toBe('upstream_timeout');
    },
  );

  it('should map an axios ECONNREFUSED to a retryable 502 naming the code', () => {
    const error = new AxiosError('connect ECONNREFUSED 127.0.0.1:11434', 'ECONNREFUSED');
    const exception = fromTransportError('ollama', error, 1000) as ProviderException;
    expect(exception).toBeInstanceOf(ProviderException);
    expect(exception.getStatus()).toBe(502);
    expect(exception.kind).toBe('unreachable');
    expect(exception.body.code).toBe('upstream_unreachable');
    expect(exception.body.message).toContain('"ollama"');
    expect(exception.body.message).toContain('ECONNREFUSED');
    expect(exception.retryable).toBe(true);
  });

  it('should map a plain Node error with a code to 502', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    const exception = fromTransportError('openai', error, 1000) as ProviderException;
    expect(exception.getStatus()).toBe(502);
    expect(exception.body.message).toContain('ENOTFOUND');
  });

  it('should map an error without a code to 502 "connection failed"', () => {
    const exception = fromTransportError('openai', new Error('boom'), 1000) as ProviderException;
    expect(exception.getStatus()).toBe(502);
    expect(exception.body.message).toContain('connection failed');
  });

  it('should pass a CanceledError through unchanged', () => {
    const canceled = new CanceledError();
    expect(fromTransportError('openai', canceled, 1000)).toBe(canceled);
  });

  it('should pass a ProviderException through unchanged', () => {
    const original = ProviderException.badResponse('openai', 'not JSON');
    expect(fromTransportError('openai', original, 1000)).toBe(original);
  });
});
