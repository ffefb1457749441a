import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// Transfer-Encoding is not in the list: node re-frames a body itself when the header says chunked.
const hopByHopHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);

/** The headers an HTTP proxy passes on: without the ones meant for this hop, or named in Connection. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const connectionTokens = String(headers.connection ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase());
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHopHeaders.has(name) || connectionTokens.includes(name)) continue;
    kept[name] = value;
  }
  return kept;
}
