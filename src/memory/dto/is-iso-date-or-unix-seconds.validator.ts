import { ValidationOptions, registerDecorator } from 'class-validator';

import { MAX_MEMORY_DATE, MIN_MEMORY_DATE } from '../memory-input';

// A full date with time and zone: a bare "2026-11-20" or a local time would be read differently
// by different clients.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
// Month and day as written: JavaScript reads 2026-02-30 as March 2nd rather than refusing it.
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** A date of a memory, within MIN_MEMORY_DATE..MAX_MEMORY_DATE; undefined for anything else. */
export function parseMemoryDate(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    date = new Date(Math.round(value * 1000));
  } else if (typeof value === 'string' && ISO_DATE_TIME.test(value) && realCalendarDate(value)) {
    date = new Date(value);
  }
  return date !== undefined &&
    date.getTime() >= MIN_MEMORY_DATE.getTime() &&
    date.getTime() < MAX_MEMORY_DATE.getTime()
    ? date
    : undefined;
}

function realCalendarDate(value: string): boolean {
  const [, year, month, day] = CALENDAR_DATE.exec(value)!.map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function IsIsoDateOrUnixSeconds(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDateOrUnixSeconds',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          `${String(propertyName)} must be an ISO 8601 date-time with a zone or unix seconds, ` +
          'from 1970 up to 2100',
        ...options,
      },
      validator: { validate: (value: unknown) => parseMemoryDate(value) !== undefined },
    });
}
