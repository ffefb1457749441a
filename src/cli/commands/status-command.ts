import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  formatQueueSummary,
  formatSetupSummary,
  readQueueSummary,
  readSandboxStatuses,
  readSetupSummary,
} from '../../orchestrator/index.ts';
import type { BoardEvent } from '../../protocol/index.ts';
import { formatSandboxStatus } from '../../sandbox/index.ts';
import { buildUsageReport, countAgents } from '../../server/index.ts';
import { type CliIo, printJson } from '../cli-io.ts';
import { openRepositoryBoard, resolveRun } from '../fleet-cli.ts';

interface BoardFlags {
  run?: string;
  repo?: string;
  db?: string;
  json?: boolean;
}

function describeEvent(event: BoardEvent): string {
  const who = [event.agentId, event.taskId].filter(Boolean).join(' ');
  const payload = JSON.stringify(event.payload);
  return `#${event.seq} ${new Date(event.at).toISOString()} ${event.type}${who ? ` ${who}` : ''} ${payload.length > 160 ? `${payload.slice(0, 159)}…` : payload}`;
}

/** Registers `cadre status` and `cadre log`: views of a run from any terminal. */
export function registerStatusCommands(program: Command, io: CliIo) {
  program
    .command('status')
    .description('a run: status, cycles and verdicts, tasks by status, agents by role and state')
    .option('--run <id>', 'the run (default: the newest on the board)')
    .option('--repo <dir>', 'the repository (default: the current directory)')
    .option('--db <path>', 'board file (default: <repo>/.cadre/board.db)')
    .option('--json', 'print one JSON object')
    .action(async (flags: BoardFlags) => {
      const board = openRepositoryBoard(io, resolve(io.cwd, flags.repo ?? '.'), flags.db, false);
      try {
        const run = await resolveRun(board, flags.run);
        const [cycles, tasks, agents, sandboxes, setup, queue] = await Promise.all([
          board.listCycles(run.id),
          board.countTasks(run.id),
          board.listAgents({ runId: run.id }),
          readSandboxStatuses(board, run.id),
          readSetupSummary(board, run.id),
          readQueueSummary(board, run.id),
        ]);
        const agentCounts = countAgents(agents);
        const usage = buildUsageReport(agents);
        if (flags.json) {
          printJson(io, {
            run,
            cycles,
            tasks,
            agents: agentCounts,
            usage: { total: usage.total, byRole: usage.byRole },
            sandboxes,
            setup,
            queue,
          });
          return;
        }
        io.stdout(`run ${run.id}: ${run.status}\n  goal: ${run.goal.replace(/\s+/g, ' ').slice(0, 200)}\n`);
        for (const cycle of cycles) {
          const { verdict } = cycle;
          io.stdout(
            `  cycle ${cycle.n}: ${cycle.status}${verdict ? ` (verdict: ${verdict.continue ? 'continue' : 'stop'}, score ${verdict.score})` : ''}\n`,
          );
        }
        io.stdout(
          `  tasks: ${Object.entries(tasks)
            .map(([status, count]) => `${count} ${status}`)
            .join(', ')}\n`,
        );
        const { total } = usage;
        io.stdout(
          `  usage: ${total.inputTokens} input tokens (${total.cachedInputTokens} cached), ${total.outputTokens} output, ` +
            `$${total.costUsd.toFixed(4)} over ${total.steps} model steps\n`,
        );
        for (const { host, pid, status } of sandboxes)
          io.stdout(`  ${formatSandboxStatus(status)} (${host}, pid ${pid})\n`);
        if (setup) io.stdout(`  ${formatSetupSummary(setup)}\n`);
        if (queue) io.stdout(`  ${formatQueueSummary(queue).replaceAll('\n', '\n  ')}\n`);
        for (const [role, byStatus] of Object.entries(agentCounts)) {
          io.stdout(
            `  ${role}s: ${Object.entries(byStatus)
              .map(([status, count]) => `${count} ${status}`)
              .join(', ')}\n`,
          );
        }
      } finally {
        await board.close();
      }
    });

  program
    .command('log')
    .description("a run's event log; --follow keeps printing new events as they happen")
    .option('--run <id>', 'the run (default: the newest on the board)')
    .option('--repo <dir>', 'the repository (default: the current directory)')
    .option('--db <path>', 'board file (default: <repo>/.cadre/board.db)')
    .option('--follow', 'keep following until interrupted')
    .option('--type <prefix>', 'only events whose type starts with this, e.g. task. or agent.tool')
    .option('--json', 'one JSON object per event')
    .action(async (flags: BoardFlags & { follow?: boolean; type?: string }) => {
      const board = openRepositoryBoard(io, resolve(io.cwd, flags.repo ?? '.'), flags.db, false);
      try {
        const run = await resolveRun(board, flags.run);
        const print = (event: BoardEvent) => {
          if (flags.type && !event.type.startsWith(flags.type)) return;
          if (flags.json) printJson(io, event);
          else io.stdout(`${describeEvent(event)}\n`);
        };
        if (flags.follow) {
          for await (const event of board.followEvents({ runId: run.id, signal: io.signal })) print(event);
          return;
        }
        let afterSeq = 0;
        for (;;) {
          const page = await board.readEvents({ runId: run.id, afterSeq, limit: 5000 });
          if (page.length === 0) break;
          for (const event of page) print(event);
          afterSeq = page.at(-1)?.seq ?? afterSeq;
        }
      } finally {
        await board.close();
      }
    });
}
