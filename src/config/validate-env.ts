import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/**
 * Validates the environment variables a module reads, so that a bad value stops the boot
 * with a message naming the variable instead of surfacing later as a confusing runtime error.
 */
export function validateEnv<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const values = plainToInstance(schema, env, { enableImplicitConversion: true });
  const errors = validateSync(values, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidConfigError(errors.map((e) => describe(e, env)).join('; '));
  }
  return values;
}

export class InvalidConfigError extends Error {
  constructor(detail: string) {
    super(`Invalid configuration: ${detail}`);
    this.name = 'InvalidConfigError';
  }
}

function describe(error: ValidationError, env: NodeJS.ProcessEnv): string {
  const constraints = Object.values(error.constraints ?? {}).join(', ');
  return `${error.property}=${JSON.stringify(env[error.property] ?? null)} is invalid (${constraints})`;
}

/** Booleans are spelled out: implicit conversion would read "false" as true. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'yes'].includes(value.trim().toLowerCase());
}

export const FLAG_VALUES = ['true', 'false', '1', '0', 'yes', 'no', ''];

/** Empty strings in .env files mean "unset", as most tooling treats them. */
export function envString(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * A connection URL (database, cache) checked by hand: the error names the variable but never
 * repeats the value, which usually holds a password.
 */
export function parseServiceUrl(
  name: string,
  value: string | undefined,
  protocols: readonly string[],
  looksLike: string,
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || !protocols.includes(url.protocol) || url.hostname === '') {
    throw new InvalidConfigError(`${name} is invalid (must look like ${looksLike})`);
  }
  return value;
}
