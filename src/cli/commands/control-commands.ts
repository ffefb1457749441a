import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AgentId, type InboxKind } from '../../protocol/index.ts';
import { type CliIo, printJson, UsageError } from '../cli-io.ts';
import { openRepositoryBoard, resolveRun } from '../fleet-cli.ts';

interface TargetFlags {
  run?: string;
  repo?: string;
  db?: string;
  json?: boolean;
}

async function send(
  io: CliIo,
  target: string | undefined,
  kind: InboxKind,
  body: string,
  flags: TargetFlags,
) {
  const board = openRepositoryBoard(io, resolve(io.cwd, flags.repo ?? '.'), flags.db, false);
  try {
    let recipientText: string;
    let message: Awaited<ReturnType<typeof board.sendMessage>>;
    if (target && target !== 'run') {
      if (!AgentId.safeParse(target).success) {
        throw new UsageError(`"${target}" is neither an agent id (agent_…) nor the word run`);
      }
      const agent = await board.getAgent(target);
      message = await board.sendMessage({
        recipient: { type: 'agent', runId: agent.runId, agentId: agent.id },
        kind,
        body,
      });
      recipientText = `agent ${agent.id} (${agent.role}, ${agent.status})`;
    } else {
      const run = await resolveRun(board, flags.run);
      message = await board.sendMessage({ recipient: { type: 'run', runId: run.id }, kind, body });
      recipientText = `run ${run.id}`;
    }
    if (flags.json) printJson(io, message);
    else io.stdout(`sent ${kind} to ${recipientText} (${message.id})\n`);
  } finally {
    await board.close();
  }
}

/** Registers `cadre steer`, `cadre stop` and `cadre pause`: messages through the board's inbox, from any terminal. */
export function registerControlCommands(program: Command, io: CliIo) {
  const common = (command: Command) =>
    command
      .option('--run <id>', 'the run (default: the newest on the board)')
      .option('--repo <dir>', 'the repository (default: the current directory)')
      .option('--db <path>', 'board file (default: <repo>/.cadre/board.db)')
      .option('--json', 'print the message as JSON');
  common(
    program
      .command('steer')
      .description('send a message to one agent (before its next model call) or to every live agent of a run')
      .argument('<target>', 'an agent id, or "run"')
      .argument('<message>', 'what to tell it'),
  ).action(async (target: string, message: string, flags: TargetFlags) => {
    if (!message.trim()) throw new UsageError('the steering message is empty');
    await send(io, target, 'steer', message, flags);
  });
  common(
    program
      .command('stop')
      .description('stop one agent (its model call and shell commands are aborted), or the whole run')
      .argument('[agent-id]', 'the agent; without it, the run'),
  ).action(async (target: string | undefined, flags: TargetFlags) => {
    await send(io, target, 'stop', 'stopped from the command line', flags);
  });
  common(
    program
      .command('pause')
      .description('pause a run (no new agents; running agents hold between steps) or one agent')
      .argument('[agent-id]', 'the agent; without it, the run'),
  ).action(async (target: string | undefined, flags: TargetFlags) => {
    await send(io, target, 'pause', '', flags);
  });
}
