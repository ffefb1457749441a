import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** Sends a short plain-text answer on a response whose head is not sent yet. */
export function replyText(response: ServerResponse, status: number, text: string): void {
  const body = `${text}\n`;
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/**
 * Writes a complete HTTP reply straight onto a socket the HTTP server no longer parses (a CONNECT,
 * a request it could not parse) and ends it. Whatever the client still sends is read and dropped,
 * since unread input makes the kernel reset the connection and lose the reply; a client that never
 * closes its side is cut off after a few seconds.
 */
export function replyOnSocketAndClose(socket: Socket, status: number, text: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${text}\n`;
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    'Content-Type: text/plain; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n';
  socket.resume();
  socket.end(head + body);
  socket.setTimeout(5_000, () => socket.destroy());
}

/** The body of a refusal, for both request forms. */
export function refusalText(reason: string): string {
  return `cadre sandbox: refused: ${reason}.`;
}
