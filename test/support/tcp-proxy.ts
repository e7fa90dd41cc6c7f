import { connect, createServer, Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted so far, forwarded or not. */
  readonly connections: number;
  /** Cuts every open connection and refuses new ones, as a store that went down would. */
  pause(): void;
  /**
   * Cuts every open connection, then accepts new ones but never answers, as an upstream that
   * is overloaded or black-holed would: only the caller's timeouts end them.
   */
  hang(): void;
  /** Forwards new connections again (after pause or hang). */
  resume(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of `targetHost:targetPort`, to take a store or upstream down mid-run. */
export async function startTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let mode: 'forward' | 'refuse' | 'hang' = 'forward';
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    track(client);
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    if (mode === 'hang') {
      // Read and drop what the client sends, answer nothing.
      client.on('error', () => client.destroy()).resume();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  const destroyAll = () => {
    for (const socket of sockets) {
      socket.destroy();
    }
  };
  return {
    port,
    get connections() {
      return connections;
    },
    pause() {
      mode = 'refuse';
      destroyAll();
    },
    hang() {
      mode = 'hang';
      destroyAll();
    },
    resume() {
      mode = 'forward';
    },
    close() {
      destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
