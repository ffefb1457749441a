import path from 'node:path';
import { sandboxHome } from './bubblewrap-arguments.ts';
import { type HostLayout, isUnder } from './host-layout.ts';
import type { SandboxConfig } from './sandbox-config.ts';

/** What a command's environment is built from. */
export interface CommandEnvironmentOptions {
  config: SandboxConfig;
  /** The host layout the sandbox shows (null when running unsandboxed). */
  layout: HostLayout | null;
  sandboxed: boolean;
}

/**
 * A minimal environment: cadre's own process may hold API keys and tokens, and nothing in the
 * sandbox needs them. PATH keeps only the directories the sandbox shows.
 */
export function commandEnvironment(options: CommandEnvironmentOptions): Record<string, string> {
  const { config, layout, sandboxed } = options;
  return {
    PATH: visiblePath(process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', layout, config),
    HOME: sandboxed ? sandboxHome : (process.env.HOME ?? '/tmp'),
    TMPDIR: sandboxed ? '/tmp' : (process.env.TMPDIR ?? '/tmp'),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    ...config.environment,
  };
}

function visiblePath(hostPath: string, layout: HostLayout | null, config: SandboxConfig): string {
  const node = path.dirname(process.execPath);
  const entries = [node, ...hostPath.split(':')].filter(Boolean);
  if (layout === null) return [...new Set(entries)].join(':');
  const mounted = [
    ...layout.systemEntries.map((entry) => entry.path),
    ...layout.toolchainDirectories,
    ...config.extraReadOnlyPaths,
    ...config.extraWritablePaths,
  ];
  return [...new Set(entries.filter((entry) => isUnder(entry, mounted)))].join(':');
}
