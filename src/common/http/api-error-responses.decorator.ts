import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (`param` names the field)',
  401: 'Missing or invalid proxy API key (`invalid_api_key`)',
  403: 'The key may not use this model (`model_not_allowed`)',
  404: 'Unknown model, memory or route',
  413: 'Request body too large',
  429: 'Rate limit reached (`rate_limit_exceeded`, see `retry-after`)',
  502: 'Upstream provider failed or unreachable',
  503: 'No upstream provider configured, or the memory store is unavailable',
  504: 'Upstream provider timed out',
};

/** Documents the OpenAI error envelope for each status a route can answer with. */
export function ApiErrorResponses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorResponseDto }),
    ),
  );
}
