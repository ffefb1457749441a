import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { insideProxyPaths } from './bubblewrap-arguments.ts';
import {
  type NetworkDecision,
  proxyBridgeScriptPath,
  proxyEnvironment,
  startAllowListProxy,
} from './network/index.ts';
import type { SandboxNetwork } from './sandbox-config.ts';

/** The network side of one sandboxed command. */
export interface CommandNetwork {
  /** Variables that point the command's HTTP clients at the proxy (none without one). */
  environment: Record<string, string>;
  /** Host paths to mount for the proxy, or null. */
  proxy: { socketPath: string; bridgePath: string } | null;
  /** The command line to run inside the sandbox: the command itself, or the bridge that starts it. */
  wrap(command: readonly string[], nodePath: string): string[];
  decisions(): NetworkDecision[];
  close(): Promise<void>;
}

// The sandbox has its own network namespace, so the bridge's port collides with nothing outside.
const bridgePort = 3128;

/**
 * Starts what a command's network mode needs. For `allow-list` that is a proxy outside the sandbox,
 * on a Unix socket mounted into it; everything the command reaches goes through it and is checked
 * there, so nothing the command does inside can widen the list.
 */
export async function startCommandNetwork(
  network: SandboxNetwork,
  signal: AbortSignal,
): Promise<CommandNetwork> {
  if (network.type !== 'allow-list') {
    return {
      environment: {},
      proxy: null,
      wrap: (command) => [...command],
      decisions: () => [],
      close: async () => {},
    };
  }
  // Unix socket paths are limited to about 100 bytes, so the directory is short and in the system temp.
  const directory = await mkdtemp(path.join(tmpdir(), 'cadre-net-'));
  try {
    const proxy = await startAllowListProxy({
      socketPath: path.join(directory, 'proxy.sock'),
      allowedHosts: network.hosts,
      signal,
    });
    return {
      environment: proxyEnvironment(bridgePort),
      proxy: { socketPath: proxy.socketPath, bridgePath: proxyBridgeScriptPath() },
      wrap: (command, nodePath) => [
        nodePath,
        insideProxyPaths.bridge,
        insideProxyPaths.socket,
        String(bridgePort),
        '--',
        ...command,
      ],
      decisions: () => [...proxy.decisions()],
      async close() {
        await proxy.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
