import OpenAI from 'openai';
import { request as httpRequest, IncomingHttpHeaders } from 'node:http';

import {
  createFakeStraicoUpstream,
  DEFAULT_API_KEY,
  FakeStraicoOptions,
  FakeStraicoUpstream,
} from '../fakes/fake-straico-upstream';
import { sleep, startGateway, TEST_KEY, TestGateway } from './gateway';

/** The Straico id every suite relies on, and how the gateway lists it. */
export const HAIKU = 'anthropic/claude-3-haiku:beta';
export const STRAICO_HAIKU = `straico/${HAIKU}`;

/** A one-line conversation, and what the fake Straico answers it. */
export const MESSAGES = [{ role: 'user' as const, content: 'Hello!' }];
export const ANSWER = 'Hello from Straico!';
/** What the fake's selector picks per pricing method (chat models ordered by price). */
export const PICKED = {
  quality: 'openai/o4-mini',
  balance: 'openai/gpt-4o-mini',
  budget: 'meta-llama/llama-4-maverick',
};

export type Params = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

export interface StraicoGateway {
  gateway: TestGateway;
  straico: FakeStraicoUpstream;
  client: OpenAI;
  close(): Promise<void>;
}

export interface StraicoGatewayOptions {
  /** Env overrides on top of the Straico-only defaults. */
  env?: Record<string, string | undefined>;
  fake?: FakeStraicoOptions;
  /** Wait until the model cache lists HAIKU (default true). */
  waitForModels?: boolean;
  /** Appended to the fake's origin for STRAICO_BASE_URL (to test a misconfiguration). */
  baseUrlSuffix?: string;
}

/**
 * A fresh fake Straico and a gateway that only has the Straico provider configured (the
 * OpenAI provider is disabled), with its model cache loaded unless told otherwise.
 */
export async function startStraicoGateway(
  options: StraicoGatewayOptions = {},
): Promise<StraicoGateway> {
  const straico = await createFakeStraicoUpstream(options.fake).listen();
  let gateway: TestGateway;
  try {
    gateway = await startGateway({
      OPENAI_BASE_URL: undefined,
      OPENAI_API_KEY: undefined,
      STRAICO_API_KEY: DEFAULT_API_KEY,
      STRAICO_BASE_URL: `${straico.url}${options.baseUrlSuffix ?? ''}`,
      ...options.env,
    });
  } catch (error) {
    await straico.close();
    throw error;
  }
  const started: StraicoGateway = {
    gateway,
    straico,
    client: sdkClient(gateway),
    async close() {
      await gateway.close();
      await straico.close();
    },
  };
  if (options.waitForModels ?? true) {
    await waitForModel(gateway, STRAICO_HAIKU);
  }
  return started;
}

/**
 * startStraicoGateway for the enclosing describe: booted before its tests, closed after them,
 * the fake Straico reset before each.
 */
export function useStraicoGateway(options: StraicoGatewayOptions = {}): StraicoGateway {
  let setup: StraicoGateway;
  beforeAll(async () => {
    setup = await startStraicoGateway(options);
  });
  afterAll(() => setup.close());
  beforeEach(() => setup.straico.reset());
  return {
    get gateway() {
      return setup.gateway;
    },
    get straico() {
      return setup.straico;
    },
    get client() {
      return setup.client;
    },
    close: () => setup.close(),
  };
}

export function sdkClient(gateway: TestGateway, apiKey = TEST_KEY): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
}

/** Polls `GET /v1/models` until it lists `id` (the cache is warmed in the background at boot). */
export async function waitForModel(
  gateway: TestGateway,
  id: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    });
    const body = (await response.json()) as { data?: Array<{ id: string }> };
    if (body.data?.some((model) => model.id === id)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`GET /v1/models did not list ${id} within ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  body: string;
}

/**
 * POST /v1/chat/completions with node:http, which (unlike fetch and the SDK) exposes the
 * HTTP trailers a stream ends with.
 */
export function rawChat(gateway: TestGateway, body: unknown): Promise<RawAnswer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${gateway.url}/v1/chat/completions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          te: 'trailers',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            trailers: res.trailers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The `data:` payloads of an SSE body, in order. */
export function sseData(body: string): string[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
}

/** Rejects instead of letting a hung iteration run into the jest timeout. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads every chunk of an SDK stream (bounded in time). */
export async function collectChunks<T>(stream: AsyncIterable<T>, ms = 10_000): Promise<T[]> {
  const read = async () => {
    const chunks: T[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
    return chunks;
  };
  return within(read(), ms, 'iterating the stream');
}

/** What a rejected call threw (the SDK's typed errors), or fails the test when it resolved. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
