import { applyDecorators } from '@nestjs/common';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Model ids travel in headers, metric labels and logs: short, printable ASCII, no spaces. */
export const MAX_MODEL_ID_LENGTH = 256;

/** The one rule for a client's `model`, on every route that takes one, checked before routing. */
export function IsModelId(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsString(),
    MaxLength(MAX_MODEL_ID_LENGTH),
    Matches(/^[\x21-\x7e]*$/, {
      message: 'model must be printable ASCII characters without spaces or control characters',
    }),
  );
}
