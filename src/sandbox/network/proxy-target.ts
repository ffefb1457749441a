/** Where a proxied request goes: a host (name or IP literal, IPv6 without brackets) and a port. */
export interface ProxyTarget {
  host: string;
  port: number;
}

/** A plain-HTTP request's target: where to connect, and what to send as the request line and Host. */
export interface ForwardTarget extends ProxyTarget {
  /** The origin-form request target, path and query. */
  path: string;
  /** The URL's authority without credentials, for the Host header. */
  authority: string;
}

/** Parses a CONNECT request target (`host:port`, `[v6]:port`); the port is required. */
export function parseConnectTarget(authority: string): ProxyTarget | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/?#@[\]]+):(\d{1,5})$/.exec(authority);
  if (!match) return null;
  const port = Number(match[2]);
  const host = canonicalHost(match[1]!);
  return host !== null && port >= 1 && port <= 65_535 ? { host, port } : null;
}

/** Parses an absolute-form `http://` request target; anything else (origin-form, https:) is null. */
export function parseForwardTarget(requestTarget: string): ForwardTarget | null {
  if (!/^http:\/\//i.test(requestTarget)) return null;
  const url = URL.canParse(requestTarget) ? new URL(requestTarget) : null;
  if (url === null || url.hostname === '') return null;
  return {
    host: unbracket(url.hostname),
    port: url.port === '' ? 80 : Number(url.port),
    path: `${url.pathname}${url.search}`,
    authority: url.host,
  };
}

// The WHATWG URL parser gives both request forms one spelling of a host: lowercase, punycode, IPv4 in
// dotted decimal ("0x7f.1" is 127.0.0.1), IPv6 compressed.
function canonicalHost(host: string): string | null {
  const text = `http://${host}/`;
  return URL.canParse(text) ? unbracket(new URL(text).hostname) : null;
}

function unbracket(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}
