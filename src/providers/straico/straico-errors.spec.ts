import { ProviderException } from '../../common/errors/provider.exception';
import { knownStraicoModels, straicoErrorBodies } from './__fixtures__/straico-responses';
import { fromStraicoError, modelNotFound, straicoErrorMessage } from './straico-errors';

describe('fromStraicoError', () => {
  it.each([
    [401, straicoErrorBodies.invalidKey],
    [401, straicoErrorBodies.noToken],
    [403, JSON.stringify({ error: 'Forbidden', success: false })],
  ])(
    'should map %i to a 502 upstream_auth_failed saying the caller key is fine',
    (status, body) => {
      // §8: bad key → 401 "Token is not valid" (U-401); the missing-header body shape is UNCERTAIN.
      const error = fromStraicoError(status, body, {}, knownStraicoModels);
      expect(error).toBeInstanceOf(ProviderException);
      expect(error.getStatus()).toBe(502);
      expect(error.providerId).toBe('straico');
      expect(error.body.code).toBe('upstream_auth_failed');
      expect(error.body.type).toBe('server_error');
      expect(error.body.message).toContain('Your API key for this gateway is fine');
      expect(error.body.message).not.toContain('Token is not valid');
      expect(error.retryable).toBe(false);
    },
  );

  it('should map 422 "Model not found" to a 404 with the closest Straico ids', () => {
    // §8: 422 + "Model not found: <id>" is a real log (V0-DOC); DW adds "did you mean".
    const error = fromStraicoError(422, straicoErrorBodies.modelNotFound, {}, knownStraicoModels);
    expect(error.getStatus()).toBe(404);
    expect(error.body.code).toBe('model_not_found');
    expect(error.body.param).toBe('model');
    expect(error.retryable).toBe(false);
    expect(error.body.message).toContain('`straico/anthropic/claude-3.5-sonnet`');
    expect(error.body.message).toContain(
      'Did you mean: straico/anthropic/claude-3-5-sonnet, straico/anthropic/claude-3.7-sonnet',
    );
  });

  it('should answer a model-not-found without suggestions when no models are known', () => {
    const error = fromStraicoError(422, straicoErrorBodies.modelNotFound, {}, []);
    expect(error.getStatus()).toBe(404);
    expect(error.body.message).not.toContain('Did you mean');
  });

  it('should map "Excessively large context" to a non-retryable 400 context_length_exceeded', () => {
    // §8: 500 + this text (ISS-22, U-CTX). NOTE: the ISS-22 text lists moderation, large
    // context AND provider overload as possible causes in one message, so a 500 caused by
    // overload may carry the same wording — see the report; this rests on field observations.
    const error = fromStraicoError(500, straicoErrorBodies.excessiveContext, {}, []);
    expect(error.getStatus()).toBe(400);
    expect(error.body).toMatchObject({
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    });
    expect(error.body.message).toContain('too long for this model');
    expect(error.body.message).toContain('context length: 100000');
    expect(error.body.message).not.toContain('\n');
    expect(error.retryable).toBe(false);
  });

  it('should map 429 to a retryable rate_limit_exceeded and forward retry-after', () => {
    // §8: whether Straico emits 429 / retry-after is UNKNOWN; mapped defensively (RKP, DOAI).
    const error = fromStraicoError(
      429,
      JSON.stringify({ error: 'Too many requests', success: false }),
      { 'retry-after': '7', 'retry-after-ms': '7000', 'x-other': 'dropped', 'set-cookie': ['a'] },
      [],
    );
    expect(error.getStatus()).toBe(429);
    expect(error.body.code).toBe('rate_limit_exceeded');
    expect(error.body.type).toBe('requests');
    expect(error.body.message).toContain('Too many requests');
    expect(error.retryable).toBe(true);
    expect(error.headers).toEqual({ 'retry-after': '7', 'retry-after-ms': '7000' });
  });

  it.each([500, 502, 503, 504, 408])('should map %i to a retryable 502', (status) => {
    const error = fromStraicoError(
      status,
      JSON.stringify({ error: 'High demand', success: false }),
      { 'retry-after': '2' },
      [],
    );
    expect(error.getStatus()).toBe(502);
    expect(error.body.code).toBe('upstream_error');
    expect(error.body.type).toBe('server_error');
    expect(error.body.message).toBe('Straico failed: High demand');
    expect(error.retryable).toBe(true);
    expect(error.headers).toEqual({ 'retry-after': '2' });
  });

  it('should map a 404 (a missing route) to a non-retryable 502 naming STRAICO_BASE_URL', () => {
    const error = fromStraicoError(
      404,
      JSON.stringify({ error: 'Not found', success: false }),
      {},
      [],
    );
    expect(error.getStatus()).toBe(502);
    expect(error.body.message).toContain('STRAICO_BASE_URL');
    expect(error.retryable).toBe(false);
  });

  it.each([400, 402, 409, 422])(
    'should map another %i to a non-retryable 400 upstream_rejected',
    (status) => {
      const error = fromStraicoError(
        status,
        JSON.stringify({ error: 'Insufficient coins', success: false }),
        {},
        [],
      );
      expect(error.getStatus()).toBe(400);
      expect(error.body.code).toBe('upstream_rejected');
      expect(error.body.message).toBe('Straico rejected the request: Insufficient coins');
      expect(error.retryable).toBe(false);
    },
  );

  it('should read an error given as an object with a message', () => {
    // §8: `error` may be a string or an object (OSAP, U-OVL); the object form is only in PP's
    // schema (§14.10).
    const error = fromStraicoError(
      400,
      JSON.stringify({ success: false, error: { message: 'Invalid temperature' } }),
      {},
      [],
    );
    expect(error.body.message).toBe('Straico rejected the request: Invalid temperature');
  });

  it('should answer a generic message for a non-JSON body', () => {
    const error = fromStraicoError(503, '<html><body>Bad Gateway</body></html>', {}, []);
    expect(error.getStatus()).toBe(502);
    expect(error.body.message).toBe('Straico failed: Straico answered with HTTP 503.');
    expect(error.body.message).not.toContain('<html>');
  });
});

describe('modelNotFound', () => {
  it('should answer 404 with straico/-prefixed suggestions', () => {
    const error = modelNotFound('openai/gpt-4o-mni', knownStraicoModels);
    expect(error.getStatus()).toBe(404);
    expect(error.retryable).toBe(false);
    expect(error.body.message).toContain('Did you mean: straico/openai/gpt-4o-mini');
  });
});

describe('straicoErrorMessage', () => {
  it.each([
    [
      'a string error',
      JSON.stringify({ error: 'Token is not valid', success: false }),
      'Token is not valid',
    ],
    ['an object error', JSON.stringify({ error: { message: 'boom' } }), 'boom'],
    ['a top-level message', JSON.stringify({ message: 'Unauthorized' }), 'Unauthorized'],
  ])('should read %s', (_label, body, expected) => {
    expect(straicoErrorMessage(body)).toBe(expected);
  });

  it.each([
    ['a non-JSON body', 'Internal Server Error'],
    ['an empty body', ''],
    ['JSON null', 'null'],
    ['an object error without a message', JSON.stringify({ error: { code: 5 } })],
    ['no error field', JSON.stringify({ success: false })],
  ])('should return null for %s', (_label, body) => {
    expect(straicoErrorMessage(body)).toBeNull();
  });
});
