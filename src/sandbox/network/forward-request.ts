import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { endToEndHeaders } from './hop-by-hop-headers.ts';
import { openUpstream } from './open-upstream.ts';
import { refusalText, replyText } from './plain-replies.ts';
import type { ProxyContext } from './proxy-context.ts';
import { type ForwardTarget, parseForwardTarget } from './proxy-target.ts';

/**
 * Answers a plain-HTTP proxy request (`GET http://host:port/path`): forwards it to an allowed target
 * in origin form and streams the answer back; 403 for anything else.
 */
export function forwardRequest(
  context: ProxyContext,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const target = parseForwardTarget(request.url ?? '');
  if (target === null) {
    const text = `cadre sandbox: expected an absolute http:// URL (use CONNECT for https), got "${request.url}"`;
    replyText(response, 400, text);
    return;
  }
  const clientGone = new AbortController();
  response.once('close', () => clientGone.abort());
  const signal = AbortSignal.any([context.signal, clientGone.signal]);
  void openUpstream(context, target, request.method ?? 'GET', signal).then((outcome) => {
    switch (outcome.type) {
      case 'refused':
        return replyText(response, 403, refusalText(outcome.reason));
      case 'failed':
        return replyText(response, 502, `cadre sandbox: ${outcome.reason}`);
      case 'connected':
        return relay(request, response, target, outcome.socket);
    }
  });
}

function relay(
  request: IncomingMessage,
  response: ServerResponse,
  target: ForwardTarget,
  socket: Socket,
): void {
  if (response.destroyed) {
    socket.destroy();
    return;
  }
  // The socket is already connected to the checked address: node must neither resolve nor pool.
  const upstreamRequest = httpRequest({
    createConnection: () => socket,
    method: request.method,
    path: target.path,
    setHost: false,
    headers: { ...endToEndHeaders(request.headers), host: target.authority },
  });
  upstreamRequest.on('response', (upstreamResponse) => {
    const headers = endToEndHeaders(upstreamResponse.headers);
    response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, headers);
    upstreamResponse.pipe(response);
    upstreamResponse.on('error', () => response.destroy());
  });
  upstreamRequest.on('error', (error) => {
    if (response.headersSent) response.destroy();
    else replyText(response, 502, `cadre sandbox: the upstream failed: ${error.message}`);
  });
  response.once('close', () => upstreamRequest.destroy());
  request.pipe(upstreamRequest);
}
