import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

import { BodyBounds, DEFAULT_BODY_BOUNDS } from './body-bounds';

/** What validating a DTO needs to see of a body: its declared properties, and nested DTOs. */
export interface DtoShape {
  type: Type<unknown>;
  properties: readonly string[];
  nested: ReadonlyMap<string, DtoShape>;
  /** The generic bounds, with the DTO's own `@ArrayMaxSize` limits for top-level arrays. */
  bounds: BodyBounds;
  /**
   * No `@Transform`, `@Expose` or `@Exclude` here or in nested DTOs: an instance is the
   * projected fields on the class's prototype, and class-transformer has nothing to add.
   */
  plain: boolean;
}

// class-transformer exports its @Type() metadata only from this path (as @nestjs/mapped-types
// reads it too); it says which DTO a nested field is validated as.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as Pick<
  typeof import('class-transformer/types/storage'),
  'defaultMetadataStorage'
>;

const NOT_VALIDATED: ReadonlySet<unknown> = new Set([
  undefined,
  String,
  Boolean,
  Number,
  Array,
  Object,
  Buffer,
  Date,
]);

const shapes = new Map<unknown, DtoShape | undefined>();

/**
 * The shape of a DTO class, read once from the decorators' metadata and kept: undefined for
 * parameters typed `unknown`, `object` or a primitive, which are not validated as DTOs.
 */
export function dtoShapeOf(metatype: unknown): DtoShape | undefined {
  if (!shapes.has(metatype)) {
    shapes.set(
      metatype,
      NOT_VALIDATED.has(metatype) ? undefined : buildShape(metatype as Type<unknown>, new Map()),
    );
  }
  return shapes.get(metatype);
}

function buildShape(type: Type<unknown>, building: Map<Type<unknown>, DtoShape>): DtoShape {
  const known = building.get(type);
  if (known) {
    return known;
  }
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const properties = [...new Set(metadatas.map((metadata) => metadata.propertyName))];
  const nested = new Map<string, DtoShape>();
  const fieldArrayLimits = new Map<string, number>();
  const shape: DtoShape = {
    type,
    properties,
    nested,
    bounds: { ...DEFAULT_BODY_BOUNDS, fieldArrayLimits },
    plain: hasNoTransformations(type, properties),
  };
  building.set(type, shape);
  for (const metadata of metadatas) {
    const max: unknown = metadata.constraints?.[0];
    if (metadata.name === 'arrayMaxSize' && typeof max === 'number') {
      fieldArrayLimits.set(metadata.propertyName, max);
    }
  }
  for (const property of properties) {
    const typeMetadata = defaultMetadataStorage.findTypeMetadata(type, property);
    const nestedType = typeMetadata?.typeFunction() as Type<unknown> | undefined;
    if (nestedType && !NOT_VALIDATED.has(nestedType)) {
      const nestedShape = buildShape(nestedType, building);
      nested.set(property, nestedShape);
      shape.plain &&= nestedShape.plain;
    }
  }
  return shape;
}

// class-transformer's TransformationType.PLAIN_TO_CLASS.
const PLAIN_TO_CLASS = 0;

function hasNoTransformations(type: Type<unknown>, properties: readonly string[]): boolean {
  return (
    defaultMetadataStorage.getStrategy(type) === 'none' &&
    defaultMetadataStorage.getExposedMetadatas(type).length === 0 &&
    defaultMetadataStorage.getExcludedMetadatas(type).length === 0 &&
    properties.every(
      (property) =>
        defaultMetadataStorage.findTransformMetadatas(type, property, PLAIN_TO_CLASS).length === 0,
    )
  );
}
