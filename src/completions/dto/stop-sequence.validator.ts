import { registerDecorator, ValidationOptions } from 'class-validator';

export function isStopSequence(value: unknown): boolean {
  if (typeof value === 'string') {
    return true;
  }
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 4 &&
    value.every((item) => typeof item === 'string')
  );
}

export function IsStopSequence(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isStopSequence',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'stop must be a string or an array of 1 to 4 strings', ...options },
      validator: { validate: isStopSequence },
    });
  };
}
