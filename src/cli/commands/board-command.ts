import { resolve } from 'node:path';
import type { Command } from 'commander';
import { currentSchemaVersion, openSqliteBoard, type TaskBoard } from '../../board/index.ts';
import type { BoardEvent, Run, TaskStatus } from '../../protocol/index.ts';
import { type CliIo, parsePositiveInteger, printJson } from '../cli-io.ts';

/** The board file a command uses when --db is not given. */
export function defaultBoardPath(io: CliIo): string {
  return resolve(io.cwd, io.env.CADRE_DB ?? '.cadre/board.db');
}

interface RunSummary {
  run: Run;
  tasks: Record<TaskStatus, number>;
  cycles: number;
}

async function summarize(board: TaskBoard, runs: Run[]): Promise<RunSummary[]> {
  return Promise.all(
    runs.map(async (run) => ({
      run,
      tasks: await board.countTasks(run.id),
      cycles: (await board.listCycles(run.id)).length,
    })),
  );
}

async function recentEvents(
  board: TaskBoard,
  runId: string | undefined,
  count: number,
): Promise<BoardEvent[]> {
  // the log is read forwards; find the tail by reading pages and keeping the last `count`
  const kept: BoardEvent[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await board.readEvents({ runId, afterSeq, limit: 5000 });
    if (page.length === 0) break;
    kept.push(...page);
    if (kept.length > count) kept.splice(0, kept.length - count);
    afterSeq = page.at(-1)?.seq ?? afterSeq;
  }
  return kept;
}

function oneLine(text: string, width: number) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function printHuman(io: CliIo, board: TaskBoard, summaries: RunSummary[], events: BoardEvent[]) {
  io.stdout(`board ${board.location} (${board.backend}, schema ${currentSchemaVersion})\n`);
  if (summaries.length === 0) io.stdout('no runs yet\n');
  for (const { run, tasks, cycles } of summaries) {
    io.stdout(`\nrun ${run.id}  ${run.status}  cycles ${cycles}  ${new Date(run.createdAt).toISOString()}\n`);
    io.stdout(`  goal: ${oneLine(run.goal, 100)}\n`);
    io.stdout(
      `  tasks: open ${tasks.open}, leased ${tasks.leased}, done ${tasks.done}, failed ${tasks.failed}, cancelled ${tasks.cancelled}\n`,
    );
  }
  if (events.length > 0) {
    io.stdout('\nrecent events:\n');
    for (const event of events) {
      const who = [event.agentId, event.taskId].filter(Boolean).join(' ');
      io.stdout(
        `  #${event.seq} ${new Date(event.at).toISOString()} ${event.type} ${who} ${oneLine(JSON.stringify(event.payload), 80)}\n`,
      );
    }
  }
}

/** Registers `cadre board show`. */
export function registerBoardCommand(program: Command, io: CliIo) {
  const board = program.command('board').description('look inside a board');
  board
    .command('show')
    .description('runs, tasks by status and recent events of a board')
    .option('--db <path>', 'board file (default .cadre/board.db, or $CADRE_DB)')
    .option('--run <id>', 'only this run')
    .option('--events <n>', 'how many recent events to show', '20')
    .option('--json', 'print one JSON object')
    .action(async (options: { db?: string; run?: string; events: string; json?: boolean }) => {
      const eventCount = parsePositiveInteger('--events', options.events, 10_000);
      const opened = openSqliteBoard({
        path: options.db ? resolve(io.cwd, options.db) : defaultBoardPath(io),
        create: false,
      });
      try {
        const runs = options.run ? [await opened.getRun(options.run)] : await opened.listRuns({ limit: 50 });
        const summaries = await summarize(opened, runs);
        const events = await recentEvents(opened, options.run, eventCount);
        if (options.json) {
          printJson(io, {
            board: {
              location: opened.location,
              backend: opened.backend,
              schemaVersion: currentSchemaVersion,
            },
            runs: summaries.map(({ run, tasks, cycles }) => ({ ...run, tasks, cycles })),
            events,
          });
        } else {
          printHuman(io, opened, summaries, events);
        }
      } finally {
        await opened.close();
      }
    });
}
