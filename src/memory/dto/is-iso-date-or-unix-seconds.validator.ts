import { ValidationOptions, registerDecorator } from 'class-validator';

// A full date with time and zone: a bare "2026-11-20" or a local time would be read differently
// by different clients.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
// Up to year 9999, in seconds.
const MAX_UNIX_SECONDS = 253_402_300_799;

export function parseMemoryDate(value: unknown): Date | undefined {
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= MAX_UNIX_SECONDS
  ) {
    return new Date(Math.round(value * 1000));
  }
  if (typeof value === 'string' && ISO_DATE_TIME.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

export function IsIsoDateOrUnixSeconds(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDateOrUnixSeconds',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be an ISO 8601 date-time with a zone or unix seconds`,
        ...options,
      },
      validator: { validate: (value: unknown) => parseMemoryDate(value) !== undefined },
    });
}
