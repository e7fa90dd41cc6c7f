import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** One scripted reply: a status and a JSON body, or raw text (an SSE stream). */
export interface LoopbackReply {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

export interface LoopbackRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 for provider specs: it records each request and answers
 * from a script, so a provider is tested through its own HTTP client, not a mock of it.
 */
export class LoopbackUpstream {
  readonly requests: LoopbackRequest[] = [];
  private readonly replies: LoopbackReply[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      let raw = '';
      request.setEncoding('utf8');
      request.on('data', (piece: string) => (raw += piece));
      request.on('end', () => {
        this.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: raw === '' ? undefined : (JSON.parse(raw) as unknown),
        });
        const reply = this.replies.shift() ?? { status: 500, json: { error: 'no reply scripted' } };
        response.writeHead(reply.status ?? 200, {
          'content-type': reply.contentType ?? 'application/json',
        });
        response.end(reply.text ?? JSON.stringify(reply.json));
      });
    });
  }

  static async start(): Promise<LoopbackUpstream> {
    const upstream = new LoopbackUpstream();
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reply(...replies: LoopbackReply[]): this {
    this.replies.push(...replies);
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
