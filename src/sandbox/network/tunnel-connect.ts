import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { openUpstream } from './open-upstream.ts';
import { pipeBothWays } from './pipe-both-ways.ts';
import { refusalText, replyOnSocketAndClose } from './plain-replies.ts';
import type { ProxyContext } from './proxy-context.ts';
import { parseConnectTarget } from './proxy-target.ts';

/**
 * Answers `CONNECT host:port`: a tunnel to an allowed target (the bytes, usually TLS, pass untouched),
 * 403 to anything else. `head` is what the client sent after the request head, already read off.
 */
export function tunnelConnect(
  context: ProxyContext,
  request: IncomingMessage,
  client: Socket,
  head: Buffer,
): void {
  const target = parseConnectTarget(request.url ?? '');
  if (target === null) {
    replyOnSocketAndClose(
      client,
      400,
      `cadre sandbox: CONNECT needs a host:port target, got "${request.url}"`,
    );
    return;
  }
  const clientGone = new AbortController();
  client.once('close', () => clientGone.abort());
  const signal = AbortSignal.any([context.signal, clientGone.signal]);
  void openUpstream(context, target, 'CONNECT', signal).then((outcome) => {
    switch (outcome.type) {
      case 'refused':
        return replyOnSocketAndClose(client, 403, refusalText(outcome.reason));
      case 'failed':
        return replyOnSocketAndClose(client, 502, `cadre sandbox: ${outcome.reason}`);
      case 'connected':
        return startTunnel(client, outcome.socket, head);
    }
  });
}

function startTunnel(client: Socket, upstream: Socket, head: Buffer): void {
  if (client.destroyed) {
    upstream.destroy();
    return;
  }
  client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
  if (head.length > 0) upstream.write(head);
  pipeBothWays(client, upstream);
}
