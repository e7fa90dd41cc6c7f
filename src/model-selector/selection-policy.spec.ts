import { GatewayException } from '../common/errors/gateway.exception';
import { isAutoModel, parsePolicy } from './selection-policy';

function thrownBy(action: () => unknown): GatewayException {
  try {
    action();
  } catch (error) {
    return error as GatewayException;
  }
  throw new Error('expected the action to throw');
}

describe('isAutoModel', () => {
  it.each([
    [undefined, true],
    [null, true],
    ['auto', true],
    ['auto:cost', true],
    ['auto:whatever', true],
    ['gpt-4o', false],
    ['automatic', false],
    ['', false],
  ])('should read %p as auto: %p', (model, expected) => {
    expect(isAutoModel(model)).toBe(expected);
  });
});

describe('parsePolicy', () => {
  it.each([
    ['auto with no header: the default', 'auto', undefined, 'balance'],
    ['no model: the default', undefined, undefined, 'balance'],
    ['auto:cost', 'auto:cost', undefined, 'cost'],
    ['auto:quality', 'auto:quality', undefined, 'quality'],
    ['auto:budget, as Straico calls cost', 'auto:budget', undefined, 'cost'],
    ['an upper-case suffix', 'auto:QUALITY', undefined, 'quality'],
    ['the header', 'auto', 'quality', 'quality'],
    ['the header with spaces and case', 'auto', ' Cost ', 'cost'],
    ['the first of repeated headers', 'auto', ['cost', 'quality'], 'cost'],
    ['an empty header: the default', 'auto', '', 'balance'],
    ['the model suffix over the header', 'auto:cost', 'quality', 'cost'],
    ['the suffix over an invalid header', 'auto:cost', 'bogus', 'cost'],
  ])('should read %s', (_name, model, header, expected) => {
    expect(parsePolicy(model, header, 'balance')).toBe(expected);
  });

  it('should refuse an unknown policy in the model with a 400 naming the model', () => {
    const error = thrownBy(() => parsePolicy('auto:cheapest', undefined, 'balance'));
    expect(error).toBeInstanceOf(GatewayException);
    expect(error.getStatus()).toBe(400);
    expect(error.body).toMatchObject({
      type: 'invalid_request_error',
      param: 'model',
      code: 'invalid_value',
    });
    expect(error.body.message).toContain('`auto:cheapest`');
    expect(error.body.message).toContain('auto:cost, auto:balance, auto:quality');
  });

  it('should refuse an unknown policy in the header with a 400 naming the header', () => {
    const error = thrownBy(() => parsePolicy('auto', 'fastest', 'balance'));
    expect(error.getStatus()).toBe(400);
    expect(error.body).toMatchObject({ param: null, code: 'invalid_value' });
    expect(error.body.message).toContain('x-gateway-policy header value `fastest`');
  });
});
