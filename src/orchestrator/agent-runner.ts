import {
  type AgentResult,
  createBoardInbox,
  createToolCounters,
  runAgentLoop,
  waitingToolNames,
} from '../agent/index.ts';
import { StaleFenceError } from '../board/index.ts';
import { agentLoopCatalogEvent, type CatalogEventInput, type Lease, type Task } from '../protocol/index.ts';
import type { RoleSession, TaskSettlement } from '../roles/index.ts';
import {
  describeReadyReport,
  type ReadyReport,
  SetupFailedError,
  type WorkspaceSetupEvent,
  type Worktree,
  workspaceSetupEventType,
} from '../workspace/index.ts';
import { agentContextSettings } from './agent-context.ts';
import { settleFenced } from './board-retry.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetInbox } from './fleet-inbox.ts';

/** What the runner needs to know about one agent's job. */
export interface AgentJob {
  role: 'planner' | 'worker' | 'judge';
  task: Task;
  lease: Lease;
  agentId: string;
  parentAgentId: string | null;
  /** Builds the role's session once the worktree exists. */
  session: (worktree: Worktree) => Promise<RoleSession>;
  /** Aborted when the run stops. */
  signal: AbortSignal;
  /** Busy time (model calls and tools), for the fleet's efficiency figures. */
  onBusy?: (milliseconds: number) => void;
  onCost?: (dollars: number) => void;
  /** Each model call's end: answered, or failed with the provider's error (a run where none answered failed). */
  onModelCall?: (call: ModelCallOutcome) => void;
  /** Whether its worktree could be made ready (`workspace.setup`): failures in a row pause the run. */
  onSetup?: (outcome: SetupOutcome) => void;
  /** The fleet's shared inbox poller; without it the agent polls the board itself. */
  inbox?: FleetInbox | null;
  /**
   * Takes what is left once the agent ended — committing its task's settlement (already queued on the
   * board when the job returns), its final status, removing its worktree — so the slot can claim its
   * next task meanwhile; whoever passes it awaits what it was given before it ends. The job's result
   * then says which settlement was asked for, not that it committed. Without it the job awaits all.
   */
  defer?: (closing: Promise<unknown>) => void;
}

/** Whether an agent's worktree was made ready, or why not. */
export type SetupOutcome = { type: 'ready' } | { type: 'failed'; reason: string };

/** How one model call of an agent ended, for the fleet's "did any model answer" tally. */
export type ModelCallOutcome = { type: 'answered' } | { type: 'failed'; message: string };

/** How one agent's job ended. */
export interface AgentJobResult {
  /** What was stored on the board: `lease-lost` when the board refused the settlement (or it was never tried). */
  settlement: TaskSettlement | { type: 'lease-lost' };
  /** What the role asked for, even when the board refused it; null when the agent never ended. */
  requested: TaskSettlement | null;
  result: AgentResult | null;
}

/**
 * Runs one agent on one leased task: registers it, gives it a fresh worktree, keeps its lease alive,
 * stores its events, and settles the task (complete, fail or — when the lease was lost — nothing).
 */
export async function runAgentJob(deps: FleetDependencies, job: AgentJob): Promise<AgentJobResult> {
  const { board, config } = deps;
  const { task, lease, agentId } = job;
  if (lease.taskId !== task.id)
    throw new Error(
      `agent ${agentId} was given task ${task.id} with the lease of task ${lease.taskId}: an agent settles exactly the task it leased, so claim that task itself`,
    );
  const controller = new AbortController();
  const stopWithRun = () => controller.abort(job.signal.reason);
  job.signal.addEventListener('abort', stopWithRun, { once: true });
  const pendingEvents = new Set<Promise<unknown>>();
  const record = (event: CatalogEventInput) => {
    const write = board
      .appendEvent({ runId: task.runId, agentId, taskId: task.id, ...event })
      .catch((error: unknown) =>
        deps.log?.(`could not store ${event.type} of ${agentId}: ${(error as Error).message}`),
      );
    pendingEvents.add(write);
    void write.finally(() => pendingEvents.delete(write));
  };
  let leaseLost = false;
  let beating = false;
  const heartbeat = setInterval(
    () => {
      // one heartbeat at a time: while the board is unreachable the pending one keeps retrying
      if (beating) return;
      beating = true;
      board
        .heartbeat({ taskId: task.id, fence: lease.fence, ttlMs: config.leaseTtlMs })
        .catch((error: unknown) => {
          if (error instanceof StaleFenceError) {
            leaseLost = true;
            controller.abort(new Error('the lease was lost'));
          }
        })
        .finally(() => {
          beating = false;
        });
    },
    Math.max(250, Math.floor(config.leaseTtlMs / 3)),
  );
  const fenced = { taskId: task.id, fence: lease.fence };
  let worktree: Worktree | null = null;
  let result: AgentResult | null = null;
  let failed = true;
  // started before anything else: the write queue is first-in first-out, so `agent.registered`
  // lands in the log before any event of the agent, and the agent need not wait for the commit
  const registration = board.registerAgent({
    id: agentId,
    runId: task.runId,
    cycleId: task.cycleId,
    parentId: job.parentAgentId,
    role: job.role,
    model: deps.models.describe(job.role),
    promptHash: deps.prompts[job.role].hash,
    taskId: task.id,
    status: 'running',
    placement: { ...(deps.placement ?? { process: 'orchestrator' }) },
  });
  registration.catch((error: unknown) => controller.abort(error));
  /** Completes, fails or hands back the task; true when it is done. */
  const settleTask = async (settlement: TaskSettlement): Promise<boolean> => {
    switch (settlement.type) {
      case 'complete':
        await settleFenced(board, { ...fenced, settled: 'done' }, () =>
          board.complete({ ...fenced, result: settlement.result, handoff: settlement.handoff }),
        );
        return true;
      case 'fail':
        // stopped with its process (SIGTERM, run stop): the task goes back without using an attempt
        if (job.signal.aborted)
          await settleFenced(board, { ...fenced, settled: 'any' }, () => board.release(fenced));
        else
          await settleFenced(board, { ...fenced, settled: 'any' }, () =>
            board.fail({ ...fenced, reason: settlement.reason, retryable: settlement.retryable }),
          );
        return false;
    }
  };
  /** After a crash of the agent or of its settlement: the task goes back, retryable. */
  const giveBack = async (error: unknown) => {
    const back = job.signal.aborted
      ? () => board.release(fenced)
      : () =>
          board.fail({ ...fenced, reason: `agent crashed: ${(error as Error).message}`, retryable: true });
    await settleFenced(board, { ...fenced, settled: 'any' }, back).catch(() => {});
  };
  let requested: TaskSettlement | null = null;
  /** A settlement the board refused (the lease moved on) is said out loud: the agent's outcome is lost. */
  const reportUnsettled = (message: string) => {
    const asked = requested ? requested.type : 'nothing (the agent did not end)';
    record({ type: 'agent.settle-failed', payload: { fence: lease.fence, settlement: requested, message } });
    deps.log?.(
      `task ${task.id} of ${agentId} (${job.role}) was not settled — it asked to ${asked}, but the board refused: ${message}. The task stays with whoever holds it now; an expired lease is reopened by the reaper.`,
    );
  };
  let deferredSettlement: Promise<boolean> | null = null;
  const recordSetup = (
    phase: WorkspaceSetupEvent['phase'],
    worktreeName: string | null,
    readyMs: number,
    report: ReadyReport,
  ) => {
    const payload: WorkspaceSetupEvent = {
      agentId,
      taskId: task.id,
      worktree: worktreeName,
      phase,
      readyMs,
      report,
    };
    record({ type: workspaceSetupEventType, payload });
  };
  /** Before each shell command: ready again when the agent (or a landing) changed the lock files. */
  const refreshReady = async (readied: Worktree, signal: AbortSignal): Promise<string[]> => {
    const started = performance.now();
    const report = await deps.ready?.refresh(readied.path, signal);
    if (!report) return [];
    recordSetup('refresh', readied.name, Math.round(performance.now() - started), report);
    return [describeReadyReport(report)];
  };
  try {
    worktree = await deps.worktrees.create({ label: agentId, signal: controller.signal });
    if (worktree.ready) {
      recordSetup('create', worktree.name, worktree.ready.readyMs, worktree.ready.report);
      job.onSetup?.({ type: 'ready' });
    }
    const readyWorktree = worktree;
    const session = await job.session(worktree);
    const waitingTools = new Set(waitingToolNames(session.tools));
    const busyStarts = new Map<string, number>();

    result = await runAgentLoop({
      model: deps.models.modelFor(job.role),
      tools: session.tools,
      toolContext: {
        worktreeRoot: worktree.path,
        resolvedWorktreeRoot: worktree.realPath,
        counters: createToolCounters(),
        config: deps.toolConfig,
        ...(deps.ready ? { prepareCommand: (signal) => refreshReady(readyWorktree, signal) } : {}),
      },
      system: session.system,
      task: session.briefing,
      budget: config.budgets[job.role],
      context: agentContextSettings(config.contextWindowTokens, deps.models.limitsFor?.(job.role) ?? null),
      tokenCounter: deps.tokenCounter,
      costOf: deps.models.costOf,
      isTaskFinished: () => session.isFinished(),
      isFinishedByTools: () => session.isFinished(),
      pollInbox: job.inbox
        ? job.inbox.forAgent(agentId)
        : createBoardInbox(board, { type: 'agent', runId: task.runId, agentId }),
      ...(deps.inboxPollIntervalMs ? { inboxPollIntervalMs: deps.inboxPollIntervalMs } : {}),
      clock: deps.clock,
      signal: controller.signal,
      onEvent: (event) => {
        switch (event.type) {
          case 'model-call-started':
            busyStarts.set(`model-${event.step}-${event.purpose}`, event.at);
            break;
          case 'model-call-ended': {
            const started = busyStarts.get(`model-${event.step}-${event.purpose}`);
            if (started !== undefined) job.onBusy?.(event.at - started);
            if (event.costUsd) job.onCost?.(event.costUsd);
            job.onModelCall?.({ type: 'answered' });
            break;
          }
          case 'model-call-failed':
            job.onModelCall?.({ type: 'failed', message: `${event.errorType}: ${event.message}` });
            break;
          case 'tool-call-ended':
            // time spent waiting for the board to change is idle, not work
            if (!waitingTools.has(event.toolName)) job.onBusy?.(event.durationMs);
            break;
          default:
            break;
        }
        // streamed-call starts are noise in the log; their end carries everything
        if (event.type !== 'model-call-started' && event.type !== 'tool-call-started') {
          record(agentLoopCatalogEvent(event));
        } else if (event.type === 'tool-call-started') {
          record({
            type: 'agent.tool-call-started',
            payload: { toolName: event.toolName, step: event.step, input: event.input },
          });
        }
      },
    });
    // an agent whose registration failed was stopped by it; its task goes back like a crash
    await registration;
    requested = session.settle(result);
    if (leaseLost) {
      reportUnsettled('the lease was lost while the agent ran');
      return { settlement: { type: 'lease-lost' }, requested, result };
    }
    const settlement: AgentJobResult['settlement'] = requested;
    // no wait for the agent's pending events: the settlement queues behind them and commits after
    const settling = settleTask(settlement);
    if (job.defer) {
      // queued already; the slot's next claim commits with it or after it
      deferredSettlement = settling;
      return { settlement, requested, result };
    }
    failed = !(await settling);
    return { settlement, requested, result };
  } catch (error) {
    if (error instanceof StaleFenceError) {
      reportUnsettled(error.message);
      return { settlement: { type: 'lease-lost' }, requested, result };
    }
    if (error instanceof SetupFailedError) {
      // the environment's fault, not the agent's: the task goes back open without using an attempt
      recordSetup('create', null, error.report.setupMs, error.report);
      deps.log?.(
        `worktree setup for task ${task.id} failed: ${error.report.reason}; the task goes back open`,
      );
      await settleFenced(board, { ...fenced, settled: 'any' }, () => board.release(fenced)).catch(() => {});
      job.onSetup?.({ type: 'failed', reason: error.report.reason });
      throw error;
    }
    await giveBack(error);
    throw error;
  } finally {
    clearInterval(heartbeat);
    job.inbox?.forget(agentId);
    job.signal.removeEventListener('abort', stopWithRun);
    const released = worktree;
    // bookkeeping after the task is settled; the events and the status queue in order on the board
    const close = async () => {
      if (deferredSettlement) {
        try {
          failed = !(await deferredSettlement);
        } catch (error) {
          if (error instanceof StaleFenceError) reportUnsettled(error.message);
          else {
            deps.log?.(`could not settle task ${task.id} of ${agentId}: ${(error as Error).message}`);
            await giveBack(error);
          }
        }
      }
      const status =
        result === null ? 'failed' : failed ? (job.signal.aborted ? 'stopped' : 'failed') : 'done';
      await Promise.all([
        ...pendingEvents,
        board
          .updateAgent({ agentId, patch: { status, ...(result ? { usage: result.totals } : {}) } })
          .catch(() => {}),
        released
          ? deps.worktrees
              .release(released, { failed, signal: new AbortController().signal })
              .catch((error: unknown) =>
                deps.log?.(`could not remove worktree ${released.path}: ${(error as Error).message}`),
              )
          : undefined,
      ]);
    };
    const closing = close();
    if (job.defer) job.defer(closing);
    else await closing;
  }
}
