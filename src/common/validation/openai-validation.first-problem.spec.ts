import { ValidationError } from 'class-validator';

import { firstProblem } from './openai-validation.pipe';

describe('firstProblem', () => {
  function node(
    property: string,
    constraints?: Record<string, string>,
    children: ValidationError[] = [],
  ) {
    const error = new ValidationError();
    error.property = property;
    error.constraints = constraints;
    error.children = children;
    return error;
  }

  it('should return undefined for no errors', () => {
    expect(firstProblem([])).toBeUndefined();
  });

  it('should return undefined when no node carries a constraint', () => {
    expect(firstProblem([node('messages', undefined, [node('0', {})])])).toBeUndefined();
  });

  it('should return a top-level constraint with the property as param', () => {
    expect(
      firstProblem([node('temperature', { max: 'temperature must not be greater than 2' })]),
    ).toEqual({
      param: 'temperature',
      message: 'temperature must not be greater than 2',
    });
  });

  it('should build bracketed indices and dotted names for nested errors', () => {
    const tree = [
      node('messages', undefined, [
        node('2', undefined, [
          node('content', undefined, [
            node('0', undefined, [
              node('image_url', undefined, [node('url', { isString: 'url must be a string' })]),
            ]),
          ]),
        ]),
      ]),
    ];
    expect(firstProblem(tree)).toEqual({
      param: 'messages[2].content[0].image_url.url',
      message: 'url must be a string',
    });
  });

  it('should prefer the first error in order, descending depth-first', () => {
    const tree = [
      node('messages', undefined, [node('0', undefined, [node('role', { isIn: 'bad role' })])]),
      node('temperature', { max: 'too hot' }),
    ];
    expect(firstProblem(tree)).toEqual({ param: 'messages[0].role', message: 'bad role' });
  });

  it('should skip a branch without constraints and continue with the next error', () => {
    const tree = [
      node('stream_options', undefined, [node('extra', undefined, [])]),
      node('n', { min: 'n too small' }),
    ];
    expect(firstProblem(tree)).toEqual({ param: 'n', message: 'n too small' });
  });

  it('should use the first constraint message of a node and ignore its children', () => {
    const tree = [
      node('messages', { isArray: 'messages must be an array', arrayMinSize: 'too few' }, [
        node('0', { nested: 'ignored' }),
      ]),
    ];
    expect(firstProblem(tree)).toEqual({ param: 'messages', message: 'messages must be an array' });
  });

  it('should prefix a path given by the caller', () => {
    expect(
      firstProblem([node('include_usage', { isBoolean: 'not a boolean' })], 'stream_options'),
    ).toEqual({
      param: 'stream_options.include_usage',
      message: 'not a boolean',
    });
    expect(firstProblem([node('3', { x: 'bad' })], 'messages')).toEqual({
      param: 'messages[3]',
      message: 'bad',
    });
  });
});
