import { stat } from 'node:fs/promises';
import type { SandboxConfig } from './sandbox-config.ts';

/** One problem with a sandbox config, worded for the person who wrote it. */
export interface SandboxPathProblem {
  key: 'extraReadOnlyPaths' | 'extraWritablePaths';
  path: string;
  message: string;
}

/**
 * Checks what the schema cannot: that every extra path exists on this machine. Run at start, so a
 * typo is an error before anything runs rather than a bubblewrap failure on every command.
 */
export async function checkSandboxPaths(config: SandboxConfig): Promise<SandboxPathProblem[]> {
  const problems: SandboxPathProblem[] = [];
  const keys = ['extraReadOnlyPaths', 'extraWritablePaths'] as const;
  for (const key of keys) {
    for (const path of config[key]) {
      try {
        await stat(path);
      } catch (error) {
        const reason =
          (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
        problems.push({ key, path, message: `${path} ${reason}; create it or remove it from ${key}` });
      }
    }
  }
  return problems;
}
