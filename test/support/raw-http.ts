import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server wrote before it closed the connection. */
  text: string;
  /** The status of the first response line, or undefined when none came. */
  status: number | undefined;
}

/**
 * Writes `head` (and optionally a part of a body) on a fresh TCP connection, never finishes the
 * request, and resolves with what the server wrote once it closes the connection: how a client
 * that stalls or lies about its body looks to the gateway.
 */
export function stalledRequest(url: string, head: string, partialBody = ''): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(head + partialBody);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ text, status: status === undefined ? undefined : Number(status) });
    });
  });
}

/** The head of a chat completion POST, with the given extra header lines. */
export function chatHead(url: string, headers: Record<string, string>): string {
  const { host } = new URL(url);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `POST /v1/chat/completions HTTP/1.1\r\nhost: ${host}\r\n${lines.join('')}\r\n`;
}
