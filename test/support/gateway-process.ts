import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

import { createFakeOpenAiUpstream, FakeOpenAiUpstream } from '../fakes/fake-openai-upstream';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs the built gateway (`dist/main.js`, as `npm run start:prod` does) as a child process. */
export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does it in pretest)`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    // An in-memory store unless the test names a directory: one directory has one owner, and
    // suites run in parallel.
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: 'memory://',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (data: Buffer) => (out += data.toString()));
  child.stderr.on('data', (data: Buffer) => (err += data.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, url: `http://127.0.0.1:${port}`, stdout: () => out, stderr: () => err, exited };
}

export async function waitUntilListening(
  gateway: GatewayProcess,
  timeoutMs = 15000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${gateway.url}/health/live`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`gateway did not start: ${gateway.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface GatewayProcesses {
  /** The fake OpenAI upstream the suite's gateways forward to, listening from beforeAll on. */
  readonly upstream: FakeOpenAiUpstream;
  /** Spawns the built gateway with the suite's env and `env` over it, without waiting for it. */
  spawn(env?: Record<string, string>): Promise<GatewayProcess>;
  /** spawn, then wait until it answers /health/live. */
  start(env?: Record<string, string>): Promise<GatewayProcess>;
}

/**
 * Gateway processes for the enclosing describe, in front of one fake upstream (reset before each
 * test): whatever is still running after the suite is SIGKILLed, so a failed test leaves no child.
 */
export function useGatewayProcesses(env: Record<string, string>): GatewayProcesses {
  const suite = {} as { upstream: FakeOpenAiUpstream };
  const started: GatewayProcess[] = [];
  beforeAll(async () => {
    suite.upstream = await createFakeOpenAiUpstream().listen();
  });
  afterAll(async () => {
    for (const gateway of started) {
      gateway.child.kill('SIGKILL');
    }
    await suite.upstream.close();
  });
  beforeEach(() => suite.upstream.reset());

  async function spawnOne(extra: Record<string, string> = {}): Promise<GatewayProcess> {
    const gateway = await spawnGateway({ OPENAI_BASE_URL: suite.upstream.url, ...env, ...extra });
    started.push(gateway);
    return gateway;
  }
  return {
    get upstream() {
      return suite.upstream;
    },
    spawn: spawnOne,
    async start(extra) {
      const gateway = await spawnOne(extra);
      await waitUntilListening(gateway);
      return gateway;
    },
  };
}

/** Polls `condition` every 20 ms until it holds, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Resolves once the gateway refuses new connections (it handled SIGTERM), trying a fresh
 * connection each time: a pooled keep-alive one would say nothing about the listener.
 */
export async function waitUntilRefused(gateway: GatewayProcess, timeoutMs = 10000): Promise<void> {
  const { port } = new URL(gateway.url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error('the gateway still accepts connections');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RawConnection {
  send(text: string): void;
  /** Resolves once the bytes received so far contain `text`. */
  received(text: string): Promise<void>;
  /** Everything received, once the server has closed the connection. */
  closed: Promise<string>;
}

/** One HTTP/1.1 connection at the byte level, to send requests one after another on it. */
export async function rawConnection(gateway: GatewayProcess): Promise<RawConnection> {
  const { port } = new URL(gateway.url);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(data)));
  return {
    send: (text) => socket.write(text),
    received: (text) => waitFor(() => data.includes(text)),
    closed,
  };
}
