import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { BoardError } from '../board/index.ts';
import { type CliIo, UsageError } from './cli-io.ts';
import { registerAgentCommand } from './commands/agent-command.ts';
import { registerBenchCommand } from './commands/bench-command.ts';
import { registerBoardCommand } from './commands/board-command.ts';
import { registerControlCommands } from './commands/control-commands.ts';
import { registerEvalCommand } from './commands/eval-command.ts';
import { registerInitCommand } from './commands/init-command.ts';
import { registerModelsCommand } from './commands/models-command.ts';
import { registerRunCommands } from './commands/run-command.ts';
import { registerStatusCommands } from './commands/status-command.ts';
import { registerUiCommand } from './commands/ui-command.ts';
import { registerWorkerCommand } from './commands/worker-command.ts';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Board errors that mean the user pointed at the wrong thing or gave bad input: exit code 2. */
const usageBoardErrors = new Set([
  'invalid-input',
  'not-a-board',
  'missing-board',
  'schema-too-new',
  'not-found',
]);

/** A command's way to fail without throwing (it printed its own message). */
export interface ExitStatus {
  code: number;
}

/** Builds the `cadre` command tree. */
export function createProgram(io: CliIo, status: ExitStatus = { code: 0 }): Command {
  const program = new Command('cadre')
    .description('run, measure, steer and evaluate fleets of autonomous LLM coding agents on one codebase')
    .version(packageJson.version, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerInitCommand(program, io);
  registerRunCommands(program, io);
  registerWorkerCommand(program, io);
  registerStatusCommands(program, io);
  registerControlCommands(program, io);
  registerBoardCommand(program, io);
  registerModelsCommand(program, {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    setExitCode: (code) => {
      status.code = code;
    },
  });
  registerAgentCommand(program, io);
  registerUiCommand(program, io);
  registerEvalCommand(program, io);
  registerBenchCommand(program, io);
  const overrideExits = (command: Command) => {
    command.exitOverride();
    for (const child of command.commands) overrideExits(child);
  };
  overrideExits(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 failure, 2 bad usage. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const status: ExitStatus = { code: 0 };
  const program = createProgram(io, status);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit through here with code 0; commander already printed its message
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError || (error instanceof BoardError && usageBoardErrors.has(error.type))) {
      io.stderr(`cadre: ${error.message}\n`);
      return 2;
    }
    if (io.signal.aborted) {
      io.stderr('cadre: interrupted\n');
      return 1;
    }
    io.stderr(`cadre: ${(error as Error).message ?? String(error)}\n`);
    if (io.env.CADRE_DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return 1;
  }
}
