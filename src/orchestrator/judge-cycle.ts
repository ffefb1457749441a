import { listAllTasks } from '../board/index.ts';
import type { Cycle, Run, Task } from '../protocol/index.ts';
import { createJudgeSession } from '../roles/judge-session.ts';
import { Verdict } from '../roles/verdict.ts';
import { createReadOnlyTools } from '../tools/tool-sets.ts';
import { gitText, runChecks } from '../workspace/index.ts';
import { runAgentJob } from './agent-runner.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetState } from './fleet-state.ts';

/** Options of judgeCycle. */
export interface JudgeCycleOptions {
  deps: FleetDependencies;
  state: FleetState;
  run: Run;
  cycle: Cycle;
  /** The branch tip when the cycle started; the judge sees the commits after it. */
  baseCommit: string;
  signal: AbortSignal;
}

async function cycleTasks(deps: FleetDependencies, run: Run, cycle: Cycle): Promise<Task[]> {
  const tasks = await listAllTasks(deps.board, { runId: run.id });
  return tasks.filter((task) => task.cycleId === cycle.id);
}

/** Cancels what the cycle left open: the next cycle starts fresh, from the repository and the verdict. */
export async function cancelLeftovers(deps: FleetDependencies, run: Run, cycle: Cycle): Promise<number> {
  let cancelled = 0;
  for (const task of await cycleTasks(deps, run, cycle)) {
    if (task.status !== 'open' && task.status !== 'leased') continue;
    cancelled += (await deps.board.cancelSubtree({ taskId: task.id, reason: `cycle ${cycle.n} ended` }))
      .length;
  }
  return cancelled;
}

/**
 * Ends a cycle: the judge reads the goal, the cycle's commits and diff, the checks and the
 * handoffs, and returns a verdict, stored on the cycle. No verdict (the judge failed twice) counts
 * as "stop", so a broken judge cannot keep a run going.
 */
export async function judgeCycle(options: JudgeCycleOptions): Promise<Verdict> {
  const { deps, state, run, cycle, signal } = options;
  const { board, hub, git } = deps;
  await board.updateCycle({ cycleId: cycle.id, status: 'judging' });
  await hub.refresh(signal);
  const tip = await hub.tip(signal);
  const cwd = hub.objectSource;
  const log =
    tip === options.baseCommit
      ? ''
      : await gitText(git, ['log', '--format=%H%x09%s', `${options.baseCommit}..${tip}`], { cwd, signal });
  const commits = log
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit = '', ...subject] = line.split('\t');
      return { commit, subject: subject.join('\t') };
    });
  const diffStat =
    tip === options.baseCommit
      ? ''
      : await gitText(git, ['diff', '--stat', options.baseCommit, tip], { cwd, signal });
  const tasks = await cycleTasks(deps, run, cycle);
  const count = (status: Task['status']) =>
    tasks.filter((task) => task.status === status && task.kind === 'work').length;
  const handoffs = tasks
    .filter((task) => task.kind === 'work' && (task.status === 'done' || task.status === 'failed'))
    .slice(-50)
    .map((task) => ({
      taskId: task.id,
      title: task.title,
      status: task.status,
      handoff: (task.handoff ?? task.failureReason ?? '').slice(0, 4000),
    }));
  for (let attempt = 1; attempt <= 2; attempt++) {
    const [judgeTask] = await board.createTasks([
      { runId: run.id, cycleId: cycle.id, kind: 'judge', title: `judge cycle ${cycle.n}`, priority: 1000 },
    ]);
    const agentId = deps.newAgentId();
    const lease = await board.claim({
      owner: agentId,
      ttlMs: deps.config.leaseTtlMs,
      filter: { runId: run.id, kinds: ['judge'] },
    });
    if (!judgeTask || !lease) throw new Error('could not lease the judge task');
    state.active.set(agentId, 'judge');
    state.agentsStarted++;
    try {
      const outcome = await runAgentJob(deps, {
        role: 'judge',
        task: judgeTask,
        lease,
        agentId,
        parentAgentId: null,
        signal,
        inbox: state.inbox,
        onBusy: (milliseconds) => {
          state.busyMs += milliseconds;
        },
        onCost: (dollars) => {
          state.costUsd += dollars;
        },
        session: async (worktree) => {
          const checks = deps.checks
            ? JSON.stringify(await runChecks(deps.checks, worktree.path, signal))
            : '';
          return createJudgeSession({
            prompt: deps.prompts.judge,
            readTools: deps.sharedTools?.read ?? createReadOnlyTools(),
            briefing: {
              goal: run.goal,
              runId: run.id,
              cycle: cycle.n,
              maxCycles: deps.config.cycles,
              tasks: {
                done: count('done'),
                failed: count('failed'),
                open: count('open'),
                cancelled: count('cancelled'),
              },
              commits,
              diffStat,
              checks,
              handoffs,
            },
          });
        },
      });
      if (outcome.settlement.type === 'complete') {
        const verdict = Verdict.parse(outcome.settlement.result);
        await board.updateCycle({ cycleId: cycle.id, status: 'done', verdict });
        return verdict;
      }
    } finally {
      state.active.delete(agentId);
    }
    if (signal.aborted) break;
  }
  const verdict: Verdict = {
    continue: false,
    score: 0,
    reasons: ['the judge gave no verdict twice; stopping rather than running blind'],
    next_focus: [],
  };
  await board.updateCycle({ cycleId: cycle.id, status: 'failed', verdict });
  return verdict;
}
