import 'reflect-metadata';

import {
  getMetadataStorage,
  IsInt,
  IsString,
  MetadataStorage,
  validateSync,
} from 'class-validator';

import { cacheValidationMetadata } from './validation-metadata-cache';

describe('cacheValidationMetadata', () => {
  class Dto {
    @IsString() name!: unknown;
  }

  it('should answer lookups from the cache, and see metadata registered later', () => {
    const storage = new MetadataStorage();
    for (const metadata of getMetadataStorage().getTargetValidationMetadatas(
      Dto,
      '',
      true,
      false,
    )) {
      storage.addValidationMetadata(metadata);
    }
    cacheValidationMetadata(storage);
    const first = storage.getTargetValidationMetadatas(Dto, '', false, false, undefined);
    expect(first.map((m) => m.propertyName)).toEqual(['name']);
    expect(storage.getTargetValidationMetadatas(Dto, '', false, false, undefined)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));

    const extra = { ...first[0], propertyName: 'age', name: 'isInt' };
    storage.addValidationMetadata(extra);
    const after = storage.getTargetValidationMetadatas(Dto, '', false, false, undefined);
    expect(after.map((m) => m.propertyName)).toEqual(['name', 'age']);
  });

  it('should leave the errors and messages of validation as they are', () => {
    class Other {
      @IsInt() count!: unknown;
    }
    cacheValidationMetadata();
    for (let round = 0; round < 2; round++) {
      const errors = validateSync(Object.assign(new Other(), { count: 'x' }));
      expect(errors.map((e) => e.constraints)).toEqual([
        { isInt: 'count must be an integer number' },
      ]);
    }
  });
});
