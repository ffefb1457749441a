import { realpath, stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type Tool, ToolError } from '../agent/index.ts';
import { createSandbox, type ProcessEnd, type Sandbox, sandboxNotes } from '../sandbox/index.ts';
import { resolveWorktreePath } from './path-confinement.ts';

const RunShellInput = z.object({
  command: z.string().min(1).describe('Shell command (bash -c). Runs in the worktree; stdin is empty.'),
  workingDirectory: z
    .string()
    .min(1)
    .default('.')
    .describe('Directory to run in, relative to the worktree root.'),
  timeoutSeconds: z.number().positive().optional().describe('Kill the command after this many seconds.'),
});

/** Options of createRunShellTool. */
export interface RunShellToolOptions {
  /** Reuse a sandbox (and its bubblewrap probe) across tool sets; a fresh one by default. */
  sandbox?: Sandbox;
}

/** `run_shell`: one shell command in the sandbox, with a timeout and an output cap. */
export function createRunShellTool(options: RunShellToolOptions = {}): Tool {
  const sandbox = options.sandbox ?? createSandbox();
  return defineTool({
    name: 'run_shell',
    description:
      'Run a shell command in the worktree inside a sandbox: the worktree is writable; system directories are ' +
      'read-only; HOME and /tmp are empty and private; nothing else of the machine is visible; and there is no ' +
      'network unless the configuration allows it (then HTTP(S) clients go through a proxy with an allow-list). ' +
      'Output (stdout and stderr together) and the exit code are returned; the command is killed, with every ' +
      'process it started, when it times out.',
    inputSchema: RunShellInput,
    async execute(input, context) {
      const shell = context.config.shell;
      const directory = await resolveWorktreePath(context, input.workingDirectory, { mustExist: true });
      if (!(await stat(directory.absolute)).isDirectory())
        throw new ToolError(`${directory.relative} is not a directory.`);
      const requested =
        input.timeoutSeconds === undefined
          ? shell.defaultTimeoutMilliseconds
          : Math.ceil(input.timeoutSeconds * 1000);
      const timeoutMilliseconds = Math.min(requested, shell.maxTimeoutMilliseconds);
      const prepared = (await context.prepareCommand?.(context.signal)) ?? [];
      const run = await sandbox.run({
        command: input.command,
        worktreeRoot: await realpath(context.worktreeRoot),
        workingDirectory: directory.absolute,
        timeoutMilliseconds,
        config: shell,
        signal: context.signal,
      });
      context.signal.throwIfAborted();
      if (run.type === 'refused') throw new ToolError(run.reason, { reason: 'sandbox-unavailable' });
      const { end, output, droppedBytes } = run.result;
      const details = {
        command: input.command,
        end,
        sandboxed: run.sandboxed,
        droppedBytes,
        timeoutMilliseconds,
        limitsHit: run.limitsHit,
        network: run.network,
      };
      const notes = [...prepared, ...sandboxNotes(run, shell)];
      const printed = output === '' ? '(no output)' : output.replace(/\n$/, '');
      const text = notes.length === 0 ? printed : `${printed}\n${notes.join('\n')}`;
      switch (end.type) {
        case 'exited':
          return { output: `${text}\n[exit code ${end.exitCode}]`, details };
        case 'signaled':
          return { output: `${text}\n[killed by ${end.signal}]`, details };
        case 'timed-out':
          throw new ToolError(
            `${text}\n[timed out after ${end.timeoutMilliseconds / 1000}s; the command and its processes were killed]`,
            details,
          );
        case 'aborted':
          throw new ToolError(`${text}\n[stopped]`, details);
        case 'spawn-failed':
          throw new ToolError(`Could not start the command: ${end.message}`, details);
        default:
          return assertNever(end);
      }
    },
  });
}

function assertNever(value: never): never {
  throw new Error(`unhandled process end ${JSON.stringify(value satisfies ProcessEnd)}`);
}
