import type { CadreConfig } from '../orchestrator/index.ts';
import {
  checkSandboxPaths,
  createSandbox,
  formatSandboxStatus,
  type Sandbox,
  type SandboxStatus,
} from '../sandbox/index.ts';
import { type CliIo, UsageError } from './cli-io.ts';

/** A sandbox that passed the start-up checks, and what it will do with agents' commands. */
export interface CheckedSandbox {
  sandbox: Sandbox;
  status: SandboxStatus;
}

/**
 * Checks the sandbox before anything runs: extra paths that do not exist are a usage error, and so
 * is a machine where bubblewrap cannot run unless the config allows unsandboxed commands (`required`
 * is false only for the demo, whose simulated agents run no commands). The status goes to stderr,
 * loudly when commands will run unsandboxed.
 */
export async function checkSandbox(
  config: CadreConfig,
  io: CliIo,
  options: { required: boolean },
): Promise<CheckedSandbox> {
  const problems = await checkSandboxPaths(config.tools.shell);
  if (problems.length > 0)
    throw new UsageError(
      problems.map((problem) => `tools.shell.${problem.key}: ${problem.message}`).join('\n'),
    );
  const sandbox = createSandbox();
  const status = await sandbox.status(config.tools.shell, io.signal);
  if (status.type === 'refused' && options.required)
    throw new UsageError(
      `${status.reason}, so agents' commands (the shell tool, the project's checks) cannot run sandboxed. ` +
        'Install bubblewrap (apt-get install bubblewrap), or set "tools": { "shell": { "allowUnsandboxed": true } } ' +
        'in cadre.config.json to run them with no isolation at all.',
    );
  io.stderr(`${formatSandboxStatus(status)}\n`);
  return { sandbox, status };
}
