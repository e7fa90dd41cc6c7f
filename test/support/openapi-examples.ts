import { readJson } from './json';
import { TestGateway } from './gateway';

/*
 * What the docs-examples suites read of /docs-json. Its examples are what a newcomer copies: each
 * must be an answer the gateway really gives, so those suites provoke the real answer and hold
 * the example against it.
 */

/** The `error` of an OpenAI-style error body. */
export interface ErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}

export interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

export const ERROR_SCHEMA_REF = '#/components/schemas/ErrorResponseDto';

export async function openApi(gateway: TestGateway): Promise<OpenApiDocument> {
  return (await readJson(await fetch(`${gateway.url}/docs-json`))) as OpenApiDocument;
}

export function operation(document: OpenApiDocument, path: string, method = 'post'): Operation {
  const found = document.paths[path]?.[method];
  if (!found) {
    throw new Error(`${method} ${path} is not documented`);
  }
  return found;
}

export function errorExample(op: Operation, status: string): ErrorBody {
  const example = op.responses[status]?.content?.['application/json']?.example as
    { error: ErrorBody } | undefined;
  if (!example) {
    throw new Error(`no example is documented for ${status}`);
  }
  return example.error;
}

/** Swagger UI's stand-ins for values nobody wrote: a newcomer would send or expect them. */
export function placeholders(value: unknown, path = '$'): string[] {
  if (value === 'string' || (Array.isArray(value) && value.some((item) => isEmptyObject(item)))) {
    return [path];
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([key, item]) =>
    key.startsWith('additionalProp') ? [`${path}.${key}`] : placeholders(item, `${path}.${key}`),
  );
}

export function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

export function isErrorEnvelope(value: unknown): boolean {
  const error = (value as { error?: Record<string, unknown> } | undefined)?.error;
  return (
    typeof error?.message === 'string' &&
    typeof error.type === 'string' &&
    (error.param === null || typeof error.param === 'string') &&
    (error.code === null || typeof error.code === 'string')
  );
}

/** The parts of an error that do not vary from one occurrence to the next. */
export function shape(error: ErrorBody) {
  return { type: error.type, param: error.param, code: error.code };
}
