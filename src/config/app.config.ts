import { registerAs } from '@nestjs/config';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { isIP } from 'node:net';

import { envString, validateEnv } from './validate-env';

/** Express's `trust proxy`: off, every hop, the n nearest hops, or the listed proxy addresses. */
export type TrustProxy = boolean | number | string[];

/** `*`, or the exact origins (scheme://host[:port]) browsers may call from. */
export type CorsOrigins = '*' | string[];

/** proxy-addr's named ranges (Express passes the list to it). */
const TRUST_PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'];

class AppEnv {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @Matches(/^\d+(b|kb|mb|gb)?$/i, { message: 'must look like 10mb, 512kb or 1048576' })
  BODY_LIMIT?: string;
  @IsOptional() @IsInt() @Min(1) HEADERS_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(1) BODY_TIMEOUT_MS?: number;
  @IsOptional() @IsInt() @Min(0) SHUTDOWN_GRACE_MS?: number;
  @IsOptional() @IsInt() @Min(1) UPSTREAM_TIMEOUT_MS?: number;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @IsOptional()
  @Parses(parseTrustProxy, {
    message:
      'must be false, true, a hop count, or a comma list of IPs, CIDRs, loopback, linklocal, uniquelocal',
  })
  TRUST_PROXY?: string;
  @IsOptional()
  @Parses(parseCorsOrigins, {
    message: 'must be * or a comma list of origins such as https://app.example.com',
  })
  CORS_ORIGINS?: string;
}

export const appConfig = registerAs('app', () => {
  const env = validateEnv(AppEnv);
  return {
    port: env.PORT ?? 3000,
    host: env.HOST ?? '0.0.0.0',
    bodyLimit: env.BODY_LIMIT ?? '10mb',
    bodyLimitBytes: parseByteSize(env.BODY_LIMIT ?? '10mb'),
    /** A client has this long to send the request's headers, then gets 408 and is closed. */
    headersTimeoutMs: env.HEADERS_TIMEOUT_MS ?? 20_000,
    /** And this long after that for its body (a slow or stalled upload holds a connection). */
    bodyTimeoutMs: env.BODY_TIMEOUT_MS ?? 30_000,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? 25_000,
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS ?? 300_000,
    logLevel: env.LOG_LEVEL ?? 'info',
    /** Which X-Forwarded-* hops to believe for req.ip / req.protocol (the IP rate-limit key). */
    trustProxy: parseTrustProxy(env.TRUST_PROXY) ?? false,
    /** Undefined: no CORS headers at all, so browsers on other origins are refused. */
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS) ?? undefined,
  };
});

export type AppConfig = ReturnType<typeof appConfig>;

/** `10mb`, `512kb`, `1048576` in bytes, as body-parser reads BODY_LIMIT (1kb = 1024 bytes). */
export function parseByteSize(value: string): number {
  const match = /^(\d+)(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!match) {
    throw new Error(`not a byte size: ${value}`);
  }
  const unit = (match[2] ?? 'b').toLowerCase();
  return Number(match[1]) * 1024 ** ['b', 'kb', 'mb', 'gb'].indexOf(unit);
}

/** The value is valid when the parser accepts it, so validation and use cannot disagree. */
function Parses(parse: (value: string) => unknown, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'parses',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parse(value) !== null,
      },
    },
    options,
  );
}

/** Null when invalid. Every accepted string is one Express's own `trust proxy` parsing accepts. */
export function parseTrustProxy(value: string | undefined): TrustProxy | null {
  const text = envString(value)?.toLowerCase();
  if (text === undefined || text === 'false') {
    return false;
  }
  if (text === 'true') {
    return true;
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    // More hops than any real proxy chain is a typo, not a setting.
    return hops <= 100 ? hops : null;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  return entries.every((entry) => TRUST_PROXY_PRESETS.includes(entry) || isAddressOrSubnet(entry))
    ? entries
    : null;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, mask, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return false;
  }
  if (mask === undefined) {
    return true;
  }
  if (/^\d{1,3}$/.test(mask)) {
    return Number(mask) <= (family === 4 ? 32 : 128);
  }
  // proxy-addr also takes an IPv4 netmask (10.0.0.0/255.0.0.0).
  return family === 4 && isIP(mask) === 4;
}

/** Undefined when unset, null when invalid. Browsers send Origin without a path or trailing slash. */
export function parseCorsOrigins(value: string | undefined): CorsOrigins | undefined | null {
  const text = envString(value);
  if (text === undefined) {
    return undefined;
  }
  if (text === '*') {
    return '*';
  }
  const origins: string[] = [];
  for (const entry of text.split(',').map((part) => part.trim().replace(/\/$/, ''))) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      // `*` among origins lands here too: it would quietly allow every origin.
      return null;
    }
    // A path, a default port or a wildcard host would never equal the Origin a browser sends.
    if (
      !['http:', 'https:'].includes(url.protocol) ||
      url.origin !== entry.toLowerCase() ||
      url.hostname.includes('*')
    ) {
      return null;
    }
    origins.push(url.origin);
  }
  return origins;
}
