import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createScriptedModel, type ScriptedTurn } from '../llm/testing/scripted-model.ts';
import type { BoardEvent, RunStatus } from '../protocol/index.ts';
import { gitText, WorkspaceSetupEvent, workspaceSetupEventType } from '../workspace/index.ts';
import { runFleet } from './run-fleet.ts';
import { setupPausedEventType } from './setup-pause.ts';
import { readSetupSummary } from './setup-summary.ts';
import { claimWorkTask, runScriptedWorker } from './testing/scripted-fleet.ts';
import { createSimFleet, type SimFleet } from './testing/sim-fleet.ts';

let fleet: SimFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});

function setupReports(events: readonly BoardEvent[]) {
  return events
    .filter((event) => event.type === workspaceSetupEventType)
    .map((event) => WorkspaceSetupEvent.parse(event.payload));
}

describe('worktree setup in a fleet (real board, git and sandbox; sim models)', () => {
  it('runs the setup once: every other agent gets the template, and nothing it installed is landed', async () => {
    const signal = new AbortController().signal;
    fleet = await createSimFleet({
      fleet: { planners: 1, workers: 3, cycles: 1, maxSubplanners: 0, maxPlannerDepth: 0 },
      tasksPerPlanner: 4,
      latencyMs: 1,
      // the demo repository does not ignore deps/: the worktrees' own exclude file must keep it out
      workspace: { setup: { commands: ['mkdir -p deps && od -An -N8 -tx1 /dev/urandom > deps/stamp'] } },
      signal,
    });
    const summary = await runFleet({ deps: fleet.deps, runId: fleet.runId, signal });
    expect(summary.status).toBe('done');

    const events = await fleet.board.readEvents({
      runId: fleet.runId,
      types: [workspaceSetupEventType, setupPausedEventType],
      limit: 10_000,
    });
    const reports = setupReports(events);
    const agents = await fleet.board.listAgents({ runId: fleet.runId });
    expect(reports.filter((report) => report.phase === 'create')).toHaveLength(agents.length);
    expect(reports.filter((report) => report.report.type === 'template-built')).toHaveLength(1);
    expect(reports.filter((report) => report.report.type === 'template-hit')).toHaveLength(agents.length - 1);

    const setup = await readSetupSummary(fleet.board, fleet.runId);
    expect(setup).toMatchObject({
      templateBuilds: 1,
      templateHits: agents.length - 1,
      failures: 0,
      paused: null,
    });

    const landed = await gitText(fleet.deps.git, ['ls-tree', '-r', '--name-only', fleet.deps.hub.branch], {
      cwd: fleet.deps.hub.objectSource,
      signal,
    });
    expect(landed.split('\n').filter((path) => path.startsWith('src/'))).not.toHaveLength(0);
    expect(landed.split('\n').filter((path) => path.startsWith('deps/'))).toEqual([]);
  }, 120_000);

  it('gives a task back open, unblamed, when setup fails, and pauses the run after failures in a row', async () => {
    const controller = new AbortController();
    fleet = await createSimFleet({
      fleet: { planners: 1, workers: 1, cycles: 1, maxSubplanners: 0, maxPlannerDepth: 0 },
      tasksPerPlanner: 2,
      latencyMs: 1,
      workspace: {
        setup: { commands: ['echo "registry unreachable" >&2; exit 7'], maxConsecutiveFailures: 2 },
      },
      signal: controller.signal,
    });
    const { board, runId } = fleet;
    const running = runFleet({ deps: fleet.deps, runId, signal: controller.signal }).catch(
      (error: unknown) => error,
    );
    const deadline = Date.now() + 60_000;
    let status: RunStatus = 'running';
    while (status !== 'paused' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await board.getRun(runId)).status;
    }
    expect(status).toBe('paused');

    const events = await board.readEvents({
      runId,
      types: [workspaceSetupEventType, setupPausedEventType],
      limit: 10_000,
    });
    const failures = setupReports(events).filter((report) => report.report.type === 'failed');
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const failure of failures) {
      expect(failure.report).toMatchObject({ type: 'failed' });
      if (failure.report.type !== 'failed') continue;
      expect(failure.report.reason).toContain('exited with code 7');
      expect(failure.report.output).toContain('registry unreachable');
      expect(failure.taskId).not.toBeNull();
    }
    expect(events.some((event) => event.type === setupPausedEventType)).toBe(true);
    // the environment's fault: the plan task is open again and no attempt was used on it
    const tasks = await board.listTasks({ runId });
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(task).toMatchObject({ status: 'open', attempts: 0 });
    const setup = await readSetupSummary(board, runId);
    expect(setup?.paused).toContain('exited with code 7');

    controller.abort(new Error('test over'));
    await running;
  }, 120_000);
});

describe('a worker that changes the lock file', () => {
  it('gets its own setup before its next command; the template and other worktrees keep theirs', async () => {
    const signal = new AbortController().signal;
    const scripted = createScriptedModel([
      calls(call('run_shell', { command: 'cat deps/lock' })),
      calls(
        call('write_file', {
          path: 'package-lock.json',
          content: '{"lockfileVersion":3,"added":"left-pad"}\n',
        }),
      ),
      calls(call('run_shell', { command: 'cat deps/lock' })),
      calls(call('land', { message: 'Add left-pad' })),
      calls(call('handoff', { done: 'Added left-pad' })),
    ]);
    fleet = await createSimFleet({
      fleet: { planners: 0, workers: 0 },
      tasksPerPlanner: 1,
      latencyMs: 0,
      workspace: {
        setup: {
          commands: ['mkdir -p deps && (cat package-lock.json 2>/dev/null || echo none) > deps/lock'],
        },
      },
      signal,
    });
    const { board, runId } = fleet;
    const claimed = await claimWorkTask(fleet, 'add left-pad');
    const other = await fleet.deps.worktrees.create({ label: 'other', signal });
    const outcome = await runScriptedWorker(fleet, claimed, scripted, signal);
    expect(outcome.settlement.type).toBe('complete');
    // the last request holds the whole conversation
    const shellOutputs = (scripted.requests.at(-1)?.messages ?? [])
      .flatMap((message) => (message.role === 'tool' ? message.results : []))
      .filter((result) => result.toolName === 'run_shell')
      .map((result) => result.output);
    expect(shellOutputs[0]).toContain('none');
    expect(shellOutputs[1]).toContain('"added":"left-pad"');
    expect(shellOutputs[1]).toContain('[setup] the lock files changed: setup re-ran in this worktree');
    expect(await readFile(join(other.path, 'deps', 'lock'), 'utf8')).toBe('none\n');

    const events = await board.readEvents({ runId, types: [workspaceSetupEventType], limit: 10_000 });
    expect(setupReports(events).map((event) => [event.agentId, event.phase, event.report.type])).toEqual([
      [claimed.agentId, 'create', 'template-hit'],
      [claimed.agentId, 'refresh', 'own-setup'],
    ]);
  }, 60_000);
});

function call(name: string, input: unknown): { name: string; input: unknown } {
  return { name, input };
}

function calls(...toolCalls: { name: string; input: unknown }[]): ScriptedTurn {
  return { type: 'tool-calls', toolCalls };
}
