import {
  ArgumentMetadata,
  Injectable,
  PipeTransform,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { GatewayException } from '../errors/gateway.exception';
import { assertWithinBounds, DEFAULT_BODY_BOUNDS } from './body-bounds';
import { DtoShape, dtoShapeOf } from './dto-shape';
import { cacheValidationMetadata } from './validation-metadata-cache';

/**
 * Validates DTOs and answers the first problem the way OpenAI does: 400
 * `invalid_request_error` with `param` naming the field (`messages[0].role`). It returns the
 * body as the client sent it (no whitelist, no transformation), so unknown OpenAI fields pass.
 *
 * Bodies are first checked against the generic bounds (depth, keys, array lengths), in one
 * linear walk, and only the fields a DTO declares are handed to class-transformer and
 * class-validator: an unknown field, however large, costs nothing more than the walk. Query
 * strings and route parameters, small by construction, go through Nest's ValidationPipe.
 */
@Injectable()
export class OpenAiValidationPipe implements PipeTransform {
  private readonly others = new ValidationPipe({ exceptionFactory: toInvalidRequest });

  constructor() {
    cacheValidationMetadata();
  }

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') {
      return this.others.transform(value, metadata);
    }
    const shape = dtoShapeOf(metadata.metatype);
    assertWithinBounds(value, shape?.bounds ?? DEFAULT_BODY_BOUNDS);
    if (shape === undefined) {
      return value;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw GatewayException.invalidRequest(
        'The request body must be a JSON object.',
        null,
        'invalid_value',
      );
    }
    const body = value as Record<string, unknown>;
    const large = largeArrays(body, shape);
    // The DTOs' validators are all synchronous: no promise per property and per request.
    const errors = validateSync(
      instanceOf(large.length > 0 ? firstSlices(body, large) : body, shape),
    );
    if (large.length > 0) {
      await validateRemainingSlices(body, shape, large, errors);
    }
    if (errors.length > 0) {
      throw toInvalidRequest(errors);
    }
    return value;
  }
}

/**
 * Arrays of nested DTOs longer than this (2,048 messages of a large body) are validated this
 * many items at a time, yielding to the event loop between slices: validating the largest valid
 * body in one go blocked it ~17 ms. Bodies of ordinary size stay on the synchronous path.
 */
const SLICE_ITEMS = 256;

function largeArrays(body: Record<string, unknown>, shape: DtoShape): string[] {
  const large: string[] = [];
  for (const property of shape.nested.keys()) {
    const field = body[property];
    if (Array.isArray(field) && field.length > SLICE_ITEMS) {
      large.push(property);
    }
  }
  return large;
}

function firstSlices(
  body: Record<string, unknown>,
  large: readonly string[],
): Record<string, unknown> {
  const sliced = { ...body };
  for (const property of large) {
    sliced[property] = (body[property] as unknown[]).slice(0, SLICE_ITEMS);
  }
  return sliced;
}

/**
 * The slices after the first of each large array, each validated with the rest of the body
 * (which the first pass found valid or not: only the array's own errors are taken from them).
 * The answer is the one a single pass would give: class-validator reports properties in their
 * declaration order, so a large array's error wins over `errors` when it is declared first.
 */
async function validateRemainingSlices(
  body: Record<string, unknown>,
  shape: DtoShape,
  large: readonly string[],
  errors: ValidationError[],
): Promise<void> {
  const firstFailing = errors.length > 0 ? shape.properties.indexOf(errors[0].property) : Infinity;
  for (const property of large) {
    if (shape.properties.indexOf(property) >= firstFailing) {
      return;
    }
    const items = body[property] as unknown[];
    for (let offset = SLICE_ITEMS; offset < items.length; offset += SLICE_ITEMS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const slice = { ...body, [property]: items.slice(offset, offset + SLICE_ITEMS) };
      const found = validateSync(instanceOf(slice, shape)).find((e) => e.property === property);
      if (found) {
        for (const child of found.children ?? []) {
          child.property = String(Number(child.property) + offset);
        }
        errors.splice(0, errors.length, found);
        return;
      }
    }
  }
}

function instanceOf(body: Record<string, unknown>, shape: DtoShape): object {
  return shape.plain
    ? instantiate(body, shape)
    : (plainToInstance(shape.type, project(body, shape)) as object);
}

export function createOpenAiValidationPipe(): OpenAiValidationPipe {
  return new OpenAiValidationPipe();
}

/** Only the properties the DTO (and its nested DTOs) declare: the rest is never converted. */
function project(value: Record<string, unknown>, shape: DtoShape): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const property of shape.properties) {
    if (!Object.hasOwn(value, property)) {
      continue;
    }
    const field = value[property];
    const nested = shape.nested.get(property);
    projected[property] = nested === undefined ? field : projectNested(field, nested);
  }
  return projected;
}

function projectNested(field: unknown, shape: DtoShape): unknown {
  if (Array.isArray(field)) {
    return field.map((item) => projectNested(item, shape));
  }
  return field !== null && typeof field === 'object'
    ? project(field as Record<string, unknown>, shape)
    : field;
}

/** What plainToInstance would build for a DTO without transformations, projected. */
function instantiate(value: Record<string, unknown>, shape: DtoShape): object {
  const instance = Object.create(shape.type.prototype as object) as Record<string, unknown>;
  for (const property of shape.properties) {
    if (!Object.hasOwn(value, property)) {
      continue;
    }
    const field = value[property];
    const nested = shape.nested.get(property);
    instance[property] = nested === undefined ? field : instantiateNested(field, nested);
  }
  return instance;
}

function instantiateNested(field: unknown, shape: DtoShape): unknown {
  if (Array.isArray(field)) {
    return field.map((item) => instantiateNested(item, shape));
  }
  return field !== null && typeof field === 'object'
    ? instantiate(field as Record<string, unknown>, shape)
    : field;
}

function toInvalidRequest(errors: ValidationError[]): GatewayException {
  const first = firstProblem(errors);
  return GatewayException.invalidRequest(
    first ? `Invalid '${first.param}': ${first.message}` : 'Invalid request body.',
    first?.param ?? null,
    'invalid_value',
  );
}

interface Problem {
  param: string;
  message: string;
}

/**
 * Type checks speak first: `max_tokens: "10"` is "must be an integer", not "must not be less
 * than 1" (class-validator lists constraints in reverse decorator order).
 */
const TYPE_CONSTRAINTS = new Set([
  'isInt',
  'isNumber',
  'isString',
  'isBoolean',
  'isArray',
  'isObject',
  'isDefined',
]);

export function firstProblem(errors: ValidationError[], path = ''): Problem | undefined {
  for (const error of errors) {
    const param = /^\d+$/.test(error.property)
      ? `${path}[${error.property}]`
      : `${path}${path ? '.' : ''}${error.property}`;
    const constraints = Object.entries(error.constraints ?? {});
    if (constraints.length > 0) {
      const typeProblem = constraints.find(([name]) => TYPE_CONSTRAINTS.has(name));
      return { param, message: (typeProblem ?? constraints[0])[1] };
    }
    const nested = firstProblem(error.children ?? [], param);
    if (nested) {
      return nested;
    }
  }
  return undefined;
}
