import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

import { sseErrorFrame } from '../http/sse';
import { GatewayException } from './gateway.exception';
import { OpenAiErrorBody } from './openai-error';

interface ErrorAnswer {
  status: number;
  body: OpenAiErrorBody;
  headers: Record<string, string>;
}

/**
 * The one place errors become answers: every failure, ours, the framework's (unknown route,
 * malformed JSON, body too large) or an unexpected one, leaves in OpenAI's error envelope.
 * Internals never reach the client; unexpected errors are logged under an id the client sees.
 */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (clientWentAway(response)) {
      // Nobody is left to answer, and the request log already has its "closed" line.
      return;
    }
    const answer = this.toAnswer(exception, request);

    if (response.headersSent) {
      this.answerAfterHeaders(response, answer);
      return;
    }
    response.status(answer.status);
    for (const [name, value] of Object.entries(answer.headers)) {
      response.setHeader(name, value);
    }
    response.json({ error: answer.body });
  }

  private toAnswer(exception: unknown, request: Request): ErrorAnswer {
    if (exception instanceof GatewayException) {
      return { status: exception.getStatus(), body: exception.body, headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      return {
        status: exception.getStatus(),
        body: frameworkError(exception, request),
        headers: {},
      };
    }
    const parserError = bodyParserError(exception);
    if (parserError) {
      return { status: parserError.status, body: parserError.body, headers: {} };
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId, reqId: request.id }, 'Unexpected error');
    return {
      status: 500,
      body: {
        message: `The server had an error while processing your request (error id ${errorId}).`,
        type: 'server_error',
        param: null,
        code: null,
      },
      headers: {},
    };
  }

  /** A stream already under way can only end with an error event, as OpenAI's SDKs read it. */
  private answerAfterHeaders(response: Response, answer: ErrorAnswer): void {
    const isEventStream = String(response.getHeader('content-type') ?? '').startsWith(
      'text/event-stream',
    );
    if (isEventStream && !response.writableEnded) {
      response.end(sseErrorFrame(answer.body));
      return;
    }
    response.destroy();
  }
}

/** The connection closed before the answer was complete: the client left (or was cut). */
function clientWentAway(response: Response): boolean {
  return !response.writableEnded && (response.destroyed || response.socket?.destroyed !== false);
}

function frameworkError(exception: HttpException, request: Request): OpenAiErrorBody {
  const status = exception.getStatus();
  if (status === 404) {
    return {
      message: `Invalid URL (${request.method} ${request.originalUrl.split('?')[0]})`,
      type: 'invalid_request_error',
      param: null,
      code: 'not_found',
    };
  }
  if (status === 400) {
    return {
      message: `We could not parse the JSON body of your request: ${exception.message}`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_json',
    };
  }
  return {
    message: exception.message,
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    param: null,
    code: null,
  };
}

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
  /** Set by the body-bounds check, which runs inside body-parser. */
  openAiError?: OpenAiErrorBody;
}

/** body-parser's errors (size limit, charset, aborted upload) carry a 4xx status and a type. */
function bodyParserError(exception: unknown): { status: number; body: OpenAiErrorBody } | null {
  if (typeof exception !== 'object' || exception === null) {
    return null;
  }
  const error = exception as HttpErrorLike;
  const status = error.status ?? error.statusCode;
  if (!status || status < 400 || status >= 500 || error.expose !== true) {
    return null;
  }
  if (error.openAiError) {
    return { status, body: error.openAiError };
  }
  if (error.type === 'entity.too.large') {
    return {
      status,
      body: {
        message: 'The request body is larger than this gateway accepts.',
        type: 'invalid_request_error',
        param: null,
        code: 'request_too_large',
      },
    };
  }
  return {
    status,
    body: {
      message: error.message ?? 'The request body could not be read.',
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
  };
}
