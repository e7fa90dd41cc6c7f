import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ERROR_EXAMPLES, ErrorExample } from './error-examples';
import { ErrorResponseDto } from './error-response.dto';

/**
 * Documents the OpenAI error envelope for each status a route can answer with, each with its own
 * example: a status alone takes the proxy routes' example, an ErrorExample replaces it.
 */
export function ApiErrorResponses(...errors: Array<number | ErrorExample>) {
  return applyDecorators(
    ...errors.map((error) => {
      const { status, description, body } = exampleFor(error);
      return ApiResponse({ status, description, type: ErrorResponseDto, example: { error: body } });
    }),
  );
}

function exampleFor(error: number | ErrorExample): ErrorExample {
  if (typeof error !== 'number') {
    return error;
  }
  const example = ERROR_EXAMPLES[error];
  if (!example) {
    throw new Error(`No error example is documented for HTTP ${error}`);
  }
  return example;
}
