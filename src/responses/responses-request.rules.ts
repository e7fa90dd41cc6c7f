import { GatewayException } from '../common/errors/gateway.exception';
import { ResponsesRequest } from '../providers/responses.types';

/** What a native upstream gets: the whole conversation, so it needs no state of its own. */
export function nativeBody(body: ResponsesRequest, model: string): ResponsesRequest {
  const forwarded = { ...body, model };
  delete forwarded.previous_response_id;
  return forwarded;
}

/** Parameters no route of this gateway can honour: refused, never silently dropped. */
export function assertServable(body: ResponsesRequest): void {
  if (body.background === true) {
    throw GatewayException.invalidRequest(
      'Background responses are not supported by this gateway; send the request without `background`.',
      'background',
      'unsupported_parameter',
    );
  }
  if (body.conversation !== undefined && body.conversation !== null) {
    throw GatewayException.invalidRequest(
      'Conversations are not supported by this gateway; chain turns with `previous_response_id`.',
      'conversation',
      'unsupported_parameter',
    );
  }
  const input = body.input;
  if (
    typeof input !== 'string' &&
    !(Array.isArray(input) && input.every((item) => typeof item === 'object' && item !== null))
  ) {
    throw GatewayException.invalidRequest(
      "Invalid 'input': expected a string or an array of input items.",
      'input',
      'invalid_value',
    );
  }
}

export function previousResponseNotFound(id: string): GatewayException {
  return GatewayException.invalidRequest(
    `Previous response with id '${id}' not found.`,
    'previous_response_id',
    'previous_response_not_found',
  );
}

export function responseNotFound(id: string): GatewayException {
  return new GatewayException(404, {
    message: `Response with id '${id}' not found.`,
    type: 'invalid_request_error',
    param: 'response_id',
    code: 'not_found',
  });
}
