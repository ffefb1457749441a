import { setMaxListeners } from 'node:events';
import {
  type AgentEvent,
  createTokenCounter,
  createToolCounters,
  parseToolConfig,
  runAgentLoop,
} from '../../agent/index.ts';
import type { TaskBoard } from '../../board/index.ts';
import { createConfiguredRouter, createSimPolicyRegistry, parseModelsConfig } from '../../llm/index.ts';
import { createIdGenerator } from '../../protocol/index.ts';
import type { Lander, WorktreeManager } from '../../workspace/index.ts';
import { createBoardLock } from './board-lock.ts';
import type { CoordinationSettings, StrategyMeasures } from './coordination-settings.ts';
import { createFlatPeerPolicy, flatPeerTask } from './flat-peer-policy.ts';
import { createFlatPeerTools, type FlatMode, type FlatPeerStats } from './flat-peer-tools.ts';
import { createSharedTaskList } from './shared-task-list.ts';
import { createTaskLanding, fileTaskSet } from './task-landing.ts';

/** Options of runFlatStrategy. */
export interface FlatStrategyOptions {
  mode: FlatMode;
  settings: CoordinationSettings;
  board: TaskBoard;
  runId: string;
  lander: Lander;
  /** With git: peers write each task's file in a fresh worktree; null when landing is only a board record. */
  worktrees: WorktreeManager | null;
  /** Directory the tools' context names; the flat tools touch no files themselves. */
  worktreeRoot: string;
  signal: AbortSignal;
  progress?: (line: string) => void;
}

/** Busy time of one agent, split so waiting and wasted attempts can be taken out. */
interface AgentClock {
  activeMs: number;
  retryMs: number;
  attemptMs: number;
}

/** Adds one agent event's time to its clock; an attempt runs from the call that reads the list to its write. */
function track(clock: AgentClock, event: AgentEvent) {
  switch (event.type) {
    case 'model-call-ended':
      clock.activeMs += event.latencyMs;
      if (event.toolCalls.some((toolCall) => toolCall.name === 'read_tasks')) clock.attemptMs = 0;
      clock.attemptMs += event.latencyMs;
      return;
    case 'tool-call-ended':
      clock.activeMs += event.durationMs;
      clock.attemptMs += event.durationMs;
      if (
        event.toolName === 'write_tasks' &&
        event.outcome.type === 'tool-error' &&
        event.outcome.output.includes('version conflict')
      )
        clock.retryMs += clock.attemptMs;
      return;
    default:
      return;
  }
}

/**
 * Runs the flat strategies: every agent is a peer running the real agent loop on the sim model
 * (`sim:flat-peer`) against one shared task list on the board, under a board lock (flat-lock) or
 * with version-checked writes (flat-occ). Stops at settings.maxWallSeconds and says so.
 */
export async function runFlatStrategy(options: FlatStrategyOptions): Promise<StrategyMeasures> {
  const { board, runId, settings, mode } = options;
  const signal = options.signal;
  await fileTaskSet(board, runId, settings.tasks, signal);
  const list = await createSharedTaskList({ board, runId, tasks: settings.tasks, signal });
  const lock =
    mode === 'flat-lock'
      ? await createBoardLock({
          board,
          runId,
          ttlMs: Math.max(1, Math.round(settings.lockTtlSteps * settings.latencyMs)),
          signal,
        })
      : null;
  const router = createConfiguredRouter({
    config: parseModelsConfig({
      roles: { peer: ['sim:flat-peer'] },
      sim: { seed: settings.seed, latency: { type: 'fixed', ms: settings.latencyMs } },
    }),
    env: {},
    simPolicies: createSimPolicyRegistry([createFlatPeerPolicy()]),
  });
  const ids = createIdGenerator();
  const toolConfig = parseToolConfig({});
  // one counter for all: building one takes a moment
  const tokenCounter = createTokenCounter();
  const deadline = new AbortController();
  const stopAll = AbortSignal.any([signal, deadline.signal]);
  // every agent listens on it; hundreds of listeners are expected, not a leak
  setMaxListeners(0, stopAll);
  let landed = 0;
  const peers: Array<{ stats: FlatPeerStats; clock: AgentClock }> = [];
  const started = performance.now();
  const timer = setTimeout(() => deadline.abort(new Error('cut off')), settings.maxWallSeconds * 1000);
  const progress = setInterval(() => {
    options.progress?.(`${mode} ${settings.agents} agents: ${landed}/${settings.tasks} tasks landed`);
  }, 2000);
  try {
    await Promise.all(
      Array.from({ length: settings.agents }, async (_, agent) => {
        const agentId = ids('agent');
        await board.registerAgent({ id: agentId, runId, role: 'peer', model: 'sim:flat-peer' }, { signal });
        const { tools, stats } = createFlatPeerTools({
          mode,
          agent,
          agentId,
          runId,
          list,
          lock,
          landing: createTaskLanding({
            board,
            runId,
            owner: agentId,
            lander: options.lander,
            worktrees: options.worktrees,
          }),
          workMs: settings.workSteps * settings.latencyMs,
          appendEvent: async (event) => {
            if (event.type === 'coordination.work-done') landed++;
            await board.appendEvent({ runId, agentId, ...event });
          },
        });
        const clock: AgentClock = { activeMs: 0, retryMs: 0, attemptMs: 0 };
        peers.push({ stats, clock });
        const result = await runAgentLoop({
          model: router.modelFor('peer'),
          tools,
          toolContext: {
            worktreeRoot: options.worktreeRoot,
            counters: createToolCounters(),
            config: toolConfig,
          },
          task: flatPeerTask({ strategy: mode, agent, seed: settings.seed, faults: settings.faults }),
          tokenCounter,
          budget: { maxSteps: 100_000 },
          // a dawdling peer re-reads the list on purpose; that is the fault, not a stuck agent
          stuck: { repeatedToolCallLimit: 1_000 },
          onEvent: (event) => track(clock, event),
          signal: stopAll,
        });
        await board.updateAgent(
          {
            agentId,
            patch: { status: result.reason.type === 'completed' ? 'done' : 'stopped', usage: result.totals },
          },
          { signal },
        );
      }),
    );
  } finally {
    clearTimeout(timer);
    clearInterval(progress);
  }
  const wallMs = performance.now() - started;
  const sum = (pick: (peer: { stats: FlatPeerStats; clock: AgentClock }) => number) =>
    peers.reduce((total, peer) => total + pick(peer), 0);
  const lockWaitMs = sum((peer) => peer.stats.lockWaitMs);
  const retryMs = sum((peer) => peer.clock.retryMs);
  return {
    wallMs,
    busyMs: Math.max(0, sum((peer) => peer.clock.activeMs) - lockWaitMs - retryMs),
    lockWaitMs,
    retryMs,
    agents: settings.agents,
    cutOff: deadline.signal.aborted,
  };
}
