import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { asBodyError, JsonBoundsScanner } from '../validation/json-scan';
import { SlicePlanRecorder } from '../validation/json-slice-plan';
import { parseInSlices, parseStrict } from './json-slices';

export interface JsonBodyReaderOptions {
  limitBytes: number;
  /** From the body's first byte to its last; Node's request timeout still bounds the whole. */
  bodyTimeoutMs: number;
  /** body-parser, for what this reader leaves to it: compressed bodies, charsets other than utf-8. */
  fallback: RequestHandler;
}

/**
 * Reads JSON bodies chunk by chunk as they arrive: each chunk is checked against the body
 * bounds as it comes, so that a body over the limit or the bounds is refused as soon as it
 * crosses them (chunked uploads included), not after it was read whole, and a large body's long
 * arrays are parsed in slices at the end (the scan records where to cut them) instead of in one
 * JSON.parse that blocked the event loop for tens of milliseconds. body-parser cannot do either (its `verify` hook sees
 * the whole body at once, and it reads an oversize body to its end before answering), so it
 * only serves what this reader does not handle. Answers keep body-parser's error shapes.
 */
export function readJsonBodies(options: JsonBodyReaderOptions): RequestHandler {
  return (request: Request, response: Response, next: NextFunction): void => {
    const headers = request.headers;
    const declared = headers['content-length'];
    if (declared === undefined) {
      if (headers['transfer-encoding'] === undefined) {
        next();
        return;
      }
    } else if (Number(declared) > options.limitBytes) {
      // Refused before a byte of it is read: reading it first held a connection that declared
      // 100 GB and sent one byte until the request timeout. Whatever its type. The unread body
      // is still on the connection, which is closed after the answer.
      response.setHeader('connection', 'close');
      next(httpError(413, 'request entity too large', 'entity.too.large'));
      return;
    }
    const type = headers['content-type'];
    // The common case needs no parsing of the header.
    if (type !== 'application/json') {
      if (type === undefined || !request.is('application/json')) {
        next();
        return;
      }
      const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        options.fallback(request, response, next);
        return;
      }
    }
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      options.fallback(request, response, next);
      return;
    }
    new BodyRead(request, response, next, options).start();
  };
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

class BodyRead {
  private readonly recorder = new SlicePlanRecorder();
  private readonly scanner = new JsonBoundsScanner(undefined, this.recorder);
  private readonly declared: number | undefined;
  private chunks: Buffer[] = [];
  private received = 0;
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  /** A refusal by the body bounds, answered at the end of the body. */
  private refused: unknown;

  constructor(
    private readonly request: Request,
    private readonly response: Response,
    private readonly next: NextFunction,
    private readonly options: JsonBodyReaderOptions,
  ) {
    const length = request.headers['content-length'];
    this.declared = length === undefined ? undefined : Number(length);
  }

  start(): void {
    this.request.on('data', this.onData);
    this.request.on('end', this.onEnd);
    this.request.on('close', this.onClose);
    this.request.on('error', this.onError);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.done) {
      return;
    }
    this.received += chunk.length;
    if (this.received > this.options.limitBytes) {
      this.fail(httpError(413, 'request entity too large', 'entity.too.large'));
      return;
    }
    if (this.timer === undefined && this.received !== this.declared) {
      // Only a body that did not come whole with its first chunk pays for a timer.
      this.timer = setTimeout(this.onTimeout, this.options.bodyTimeoutMs);
    }
    if (this.refused !== undefined) {
      return;
    }
    try {
      this.scanner.write(chunk);
    } catch (error) {
      // Answered once the body is read, as body-parser does: a client still sending would see
      // a closed connection instead of the 400. The rest costs reading only, up to the limit.
      this.refused = asBodyError(error);
      this.chunks = [];
      return;
    }
    this.chunks.push(chunk);
  };

  private readonly onEnd = (): void => {
    if (this.done) {
      return;
    }
    if (this.declared !== undefined && this.received !== this.declared) {
      this.fail(
        httpError(400, 'request size did not match content length', 'request.size.invalid'),
      );
      return;
    }
    this.finish();
    if (this.refused !== undefined) {
      this.next(this.refused);
      return;
    }
    const { chunks } = this;
    this.chunks = [];
    const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.received);
    const plan = this.recorder.plan();
    if (plan === undefined) {
      let body: unknown;
      try {
        body = parseStrict(raw.toString('utf8'));
      } catch (error) {
        this.parsed(error);
        return;
      }
      this.parsed(undefined, body);
      return;
    }
    parseInSlices(raw, plan).then(
      (body) => this.parsed(undefined, body),
      (error) => this.parsed(error),
    );
  };

  private parsed(error: unknown, body?: unknown): void {
    if (error !== undefined) {
      this.next(Object.assign(error as Error, PARSE_FAILED));
      return;
    }
    this.request.body = body;
    if (this.received > YIELD_AFTER_BYTES) {
      // Parsing a large body and then walking, validating and forwarding it all in one turn of
      // the event loop held it for ~25 ms (49 objects of 1,000 keys, 0.5 MB): a turn each.
      setImmediate(this.next);
      return;
    }
    this.next();
  }

  private readonly onClose = (): void => {
    if (!this.done) {
      // The client went away mid-body: nobody is left to answer, as body-parser's 'aborted'.
      this.fail(httpError(400, 'request aborted', 'request.aborted'));
    }
  };

  private readonly onError = (error: Error): void => {
    if (!this.done) {
      this.fail(Object.assign(error, { status: 400, statusCode: 400, expose: true }));
    }
  };

  private readonly onTimeout = (): void => {
    if (!this.done) {
      this.fail(
        httpError(
          408,
          `The request body did not arrive within ${this.options.bodyTimeoutMs} ms.`,
          'request.timeout',
        ),
      );
    }
  };

  private finish(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.request.off('data', this.onData);
    this.request.off('end', this.onEnd);
    this.request.off('close', this.onClose);
    this.request.off('error', this.onError);
  }

  /** Answers now; the rest of an unread body is discarded, and its connection closed after. */
  private fail(error: unknown): void {
    this.finish();
    if (!this.request.complete) {
      this.response.setHeader('connection', 'close');
      this.request.resume();
    }
    this.next(error);
  }
}

function httpError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
}

const YIELD_AFTER_BYTES = 256 * 1024;
const PARSE_FAILED = { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed' };
