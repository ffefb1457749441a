import { listAllTasks } from '../board/index.ts';
import type { Cycle, Run, Task } from '../protocol/index.ts';
import { createJudgeSession, type JudgeBriefing, Verdict } from '../roles/index.ts';
import { createReadOnlyTools } from '../tools/index.ts';
import { gitText, runChecks } from '../workspace/index.ts';
import { type AgentJobResult, runAgentJob } from './agent-runner.ts';
import { claimJudgeTask } from './claim-judge-task.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetState } from './fleet-state.ts';
import { readQueueSummary } from './queue-summary.ts';
import { formatQueueSummary } from './queue-summary-format.ts';

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

/** How judging a cycle ended: a verdict, or none after every attempt (the cycle is stored as failed). */
export type JudgeOutcome =
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'no-verdict'; attempts: number; reason: string };

/** Judge attempts per cycle: one retry rides out a flaky call; a judge that fails twice is broken. */
const judgeAttempts = 2;

async function cycleTasks(deps: FleetDependencies, run: Run, cycle: Cycle): Promise<Task[]> {
  return listAllTasks(deps.board, { runId: run.id, cycleId: cycle.id });
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

/** What the judge is shown about the cycle, minus the checks (run in the judge's own checkout). */
async function cycleEvidence(
  options: JudgeCycleOptions,
): Promise<Pick<JudgeBriefing, 'tasks' | 'commits' | 'diffStat' | 'handoffs'>> {
  const { deps, run, cycle, signal, baseCommit } = options;
  const { hub, git } = deps;
  await hub.refresh(signal);
  const tip = await hub.tip(signal);
  const cwd = hub.objectSource;
  const moved = tip !== baseCommit;
  const log = moved
    ? await gitText(git, ['log', '--format=%H%x09%s', `${baseCommit}..${tip}`], { cwd, signal })
    : '';
  const commits = log
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit = '', ...subject] = line.split('\t');
      return { commit, subject: subject.join('\t') };
    });
  const diffStat = moved ? await gitText(git, ['diff', '--stat', baseCommit, tip], { cwd, signal }) : '';
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
  const taskCounts = {
    done: count('done'),
    failed: count('failed'),
    open: count('open'),
    cancelled: count('cancelled'),
  };
  return { tasks: taskCounts, commits, diffStat, handoffs };
}

/**
 * The checks the judge is shown: this cycle's run of them in its checkout, then the merge queue's
 * record of the branch (landings, bounces, check runs, a red tip) when the run uses the queue.
 */
async function checksEvidence(
  deps: FleetDependencies,
  run: Run,
  checkout: string,
  signal: AbortSignal,
): Promise<string> {
  const [checks, queue] = await Promise.all([
    deps.checks ? runChecks(deps.checks, checkout, signal).then((result) => JSON.stringify(result)) : '',
    readQueueSummary(deps.board, run.id, signal),
  ]);
  return [checks, queue ? formatQueueSummary(queue) : ''].filter(Boolean).join('\n\n');
}

/**
 * The verdict of one finished judge agent, or why there is none. A verdict whose settlement the
 * board refused (the lease was lost meanwhile) still judges the cycle: it is used, not thrown away.
 */
function verdictOf(outcome: AgentJobResult): { verdict: Verdict } | { failure: string } {
  const { settlement, requested } = outcome;
  switch (settlement.type) {
    case 'complete':
      return { verdict: Verdict.parse(settlement.result) };
    case 'fail':
      return { failure: settlement.reason };
    case 'lease-lost':
      if (requested === null) return { failure: "the judge's lease was lost before it ended" };
      if (requested.type === 'complete') return { verdict: Verdict.parse(requested.result) };
      return { failure: `the judge's lease was lost; it had failed anyway: ${requested.reason}` };
  }
}

/**
 * Ends a cycle: the judge reads the goal, the cycle's commits and diff, the checks and the
 * handoffs, and returns a verdict, stored on the cycle. Each attempt files and claims its own judge
 * task. No verdict after every attempt stores "stop" on the failed cycle, so a broken judge cannot
 * keep a run going; the caller learns that it was no verdict, not a judgement.
 */
export async function judgeCycle(options: JudgeCycleOptions): Promise<JudgeOutcome> {
  const { deps, state, run, cycle, signal } = options;
  const { board } = deps;
  await board.updateCycle({ cycleId: cycle.id, status: 'judging' });
  const evidence = await cycleEvidence(options);
  const failures: string[] = [];
  for (let attempt = 1; attempt <= judgeAttempts && !signal.aborted; attempt++) {
    const agentId = deps.newAgentId();
    const { task, lease } = await claimJudgeTask(deps, { run, cycle, agentId, signal });
    state.active.set(agentId, 'judge');
    state.agentsStarted++;
    try {
      const outcome = await runAgentJob(deps, {
        role: 'judge',
        task,
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
        onModelCall: (call) => state.recordModelCall(call),
        session: async (worktree) => {
          const checks = await checksEvidence(deps, run, worktree.path, signal);
          const afterSeq = await board.lastEventSeq({ runId: run.id }, { signal });
          return createJudgeSession({
            wait: { board, runId: run.id, cycleId: cycle.id, agentId, ownTaskId: task.id, afterSeq, signal },
            prompt: deps.prompts.judge,
            readTools: deps.sharedTools?.read ?? createReadOnlyTools(),
            briefing: {
              goal: run.goal,
              runId: run.id,
              cycle: cycle.n,
              maxCycles: deps.config.cycles,
              checks,
              ...evidence,
            },
          });
        },
      });
      const judged = verdictOf(outcome);
      if ('verdict' in judged) {
        await board.updateCycle({ cycleId: cycle.id, status: 'done', verdict: judged.verdict });
        return { type: 'verdict', verdict: judged.verdict };
      }
      failures.push(judged.failure);
      deps.log?.(`judge attempt ${attempt} of cycle ${cycle.n} gave no verdict: ${judged.failure}`);
    } finally {
      state.active.delete(agentId);
    }
  }
  const reason = failures.at(-1) ?? 'the run was stopped while judging';
  const verdict: Verdict = {
    continue: false,
    score: 0,
    reasons: [
      `the judge gave no verdict in ${failures.length} attempt(s); stopping rather than running blind. Last: ${reason}`.slice(
        0,
        2000,
      ),
    ],
    next_focus: [],
  };
  await board.updateCycle({ cycleId: cycle.id, status: 'failed', verdict });
  return { type: 'no-verdict', attempts: failures.length, reason };
}
