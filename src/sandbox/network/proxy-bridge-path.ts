import { fileURLToPath } from 'node:url';

/**
 * Absolute path of `proxy-bridge.mjs`, the program that runs inside the sandbox as
 * `node <path> <unix-socket-path> <tcp-port> -- <command...>`. It must be readable from inside the
 * sandbox (the default read-only bind of / makes it so).
 */
export function proxyBridgeScriptPath(): string {
  return fileURLToPath(new URL('./proxy-bridge.mjs', import.meta.url));
}

/**
 * The variables that point a sandboxed command at the bridge on 127.0.0.1:`port`, in both spellings
 * tools read, with the no-proxy list emptied so nothing is exempt from the allow-list.
 */
export function proxyEnvironment(port: number): Record<string, string> {
  const proxyUrl = `http://127.0.0.1:${port}`;
  return {
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    ALL_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    all_proxy: proxyUrl,
    NO_PROXY: '',
    no_proxy: '',
  };
}
