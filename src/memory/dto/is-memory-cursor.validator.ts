import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

import { decodeCursor } from '../memory-cursor';
import { InvalidCursorError } from '../memory.types';

/** `after` must be a cursor the list made: checked before the store is asked anything. */
@ValidatorConstraint({ name: 'isMemoryCursor' })
export class IsMemoryCursor implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') {
      return false;
    }
    try {
      decodeCursor(value);
      return true;
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        return false;
      }
      throw error;
    }
  }

  defaultMessage(): string {
    return 'after must be a next_cursor from this list';
  }
}
