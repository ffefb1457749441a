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
import { charge, type StepLedger, settle, sumLedgers } from './step-ledger.ts';
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

/** Wall and nominal time of one agent's model calls and tools. */
interface AgentClock {
  /** Wall milliseconds in model calls and tools (lock waits included). */
  activeMs: number;
  /** Nominal milliseconds of the same calls and tools: the configured latency and work time. */
  nominalMs: number;
}

/** Adds one agent event's time to its clock; a call with no tool (the last one) is coordination. */
function track(clock: AgentClock, ledger: StepLedger, settings: CoordinationSettings, event: AgentEvent) {
  switch (event.type) {
    case 'model-call-ended':
      clock.activeMs += event.latencyMs;
      clock.nominalMs += settings.latencyMs;
      if (event.toolCalls.length === 0) charge(ledger, 'coordination', settings.latencyMs);
      return;
    case 'tool-call-ended':
      clock.activeMs += event.durationMs;
      if (event.toolName === 'do_work' && event.outcome.type === 'success')
        clock.nominalMs += settings.workSteps * settings.latencyMs;
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
          stepMs: settings.latencyMs,
          appendEvent: async (event) => {
            if (event.type === 'coordination.work-done') landed++;
            await board.appendEvent({ runId, agentId, ...event });
          },
        });
        const clock: AgentClock = { activeMs: 0, nominalMs: 0 };
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
          onEvent: (event) => track(clock, stats.ledger, settings, event),
          signal: stopAll,
        });
        // a last read with nothing left to claim ends the peer: it was coordination, not a failed attempt
        if (result.reason.type === 'completed') settle(stats.ledger, 'coordination');
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
  return {
    wallMs,
    agents: settings.agents,
    ledger: sumLedgers(peers.map((peer) => peer.stats.ledger)),
    nominalMs: sum((peer) => peer.clock.nominalMs),
    wallBusyMs: Math.max(0, sum((peer) => peer.clock.activeMs) - lockWaitMs),
    lockWaitMs,
    cutOff: deadline.signal.aborted,
  };
}
