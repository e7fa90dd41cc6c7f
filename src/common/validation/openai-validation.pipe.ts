import { ValidationError, ValidationPipe } from '@nestjs/common';

import { GatewayException } from '../errors/gateway.exception';

/**
 * Validates DTOs and answers the first problem the way OpenAI does: 400
 * `invalid_request_error` with `param` naming the field (`messages[0].role`). It returns the
 * body as the client sent it (no whitelist, no transformation), so unknown OpenAI fields pass.
 */
export function createOpenAiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    exceptionFactory: (errors: ValidationError[]) => {
      const first = firstProblem(errors);
      return GatewayException.invalidRequest(
        first ? `Invalid '${first.param}': ${first.message}` : 'Invalid request body.',
        first?.param ?? null,
        'invalid_value',
      );
    },
  });
}

interface Problem {
  param: string;
  message: string;
}

export function firstProblem(errors: ValidationError[], path = ''): Problem | undefined {
  for (const error of errors) {
    const param = /^\d+$/.test(error.property)
      ? `${path}[${error.property}]`
      : `${path}${path ? '.' : ''}${error.property}`;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      return { param, message: messages[0] };
    }
    const nested = firstProblem(error.children ?? [], param);
    if (nested) {
      return nested;
    }
  }
  return undefined;
}
