import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentBudget,
  type AgentEventListener,
  type AgentResult,
  createToolCounters,
  parseToolConfig,
} from '../../agent/index.ts';
import { type EngineRoute, prepareEngine, runEngineAgent } from '../../engines/index.ts';
import type { ModelUsage } from '../../llm/index.ts';
import { isEngineEntry, type ModelsConfig, parseEngineRef } from '../../protocol/index.ts';
import { createSandbox, type Sandbox } from '../../sandbox/index.ts';
import type { Solver } from '../suite.ts';

/** An engine ready to be a suite's solver: its route (program, key, network) and the sandbox it runs in. */
export interface EvalEngine {
  route: EngineRoute;
  sandbox: Sandbox;
}

/** Whether a solver id names an engine (`engine:codex/gpt-5.2`) rather than a model. */
export function isEngineSolver(id: string): boolean {
  return isEngineEntry(id);
}

/** The engines among the solver ids, ready; or one message naming every problem (bad id, no program, no key). */
export type PreparedEvalEngines =
  | { type: 'ready'; engines: Map<string, EvalEngine> }
  | { type: 'problem'; message: string };

/**
 * Gets every engine among `ids` ready before any trial starts, with the same checks (and messages) as
 * a fleet's engines: the program installed and recent enough, its provider's key set. Model ids are
 * left alone. One sandbox serves every engine (it probes bubblewrap once).
 */
export async function prepareEvalEngines(
  ids: readonly string[],
  config: ModelsConfig,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<PreparedEvalEngines> {
  const engines = new Map<string, EvalEngine>();
  const problems: string[] = [];
  let sandbox: Sandbox | null = null;
  for (const id of ids) {
    if (!isEngineSolver(id) || engines.has(id)) continue;
    let ref: ReturnType<typeof parseEngineRef>;
    try {
      ref = parseEngineRef(id);
    } catch (error) {
      problems.push((error as Error).message);
      continue;
    }
    const prepared = await prepareEngine(ref, config, env, signal);
    if (prepared.type === 'problem') {
      problems.push(prepared.message);
      continue;
    }
    sandbox ??= createSandbox();
    engines.set(id, { route: prepared.route, sandbox });
  }
  if (problems.length > 0) return { type: 'problem', message: [...new Set(problems)].join('\n') };
  return { type: 'ready', engines };
}

/**
 * The rules an engine's program follows in the lab, on top of the suite's own prompt: the directory it
 * starts in is the trial's copy of the sample, graded as it is left; the answer convention is the suite's.
 */
export const evalEngineRules = `# How this task runs
You work in the directory you were started in: a fresh copy of the task's files made for this trial.
- Change files in that directory only. Do not commit, push or otherwise rewrite git history.
- The tools the task may mention by name (read_file, write_file, run_shell, …) are not yours: do the
  same with your own tools.
- Your work is graded on the files you leave there and on your final answer, when you end your turn.`;

/** The engine's first (and only) message: the solver's prompt, the lab's rules and the sample's task. */
export function engineSolverPrompt(solver: Pick<Solver, 'system'>, task: string): string {
  return `${solver.system}\n\n${evalEngineRules}\n\n# Task\n${task}`;
}

/** What running an engine on one trial needs. */
export interface RunEngineSolverOptions {
  engine: EvalEngine;
  solver: Solver;
  task: string;
  worktreeRoot: string;
  costOf: (modelId: string, usage: ModelUsage) => number | null;
  onEvent: AgentEventListener;
  signal: AbortSignal;
}

/**
 * Runs the engine's program once on a trial, in its environment's directory inside the sandbox, with
 * the native solver's budget (its step limit is also the program's turn limit). Its final answer ends
 * the trial as is: nothing lands, as the native loop's does not; the scorers read what it left.
 */
export async function runEngineSolver(options: RunEngineSolverOptions): Promise<AgentResult> {
  const { engine, solver } = options;
  const { route } = engine;
  const toolConfig = parseToolConfig({});
  const worktreePath = await realpath(options.worktreeRoot);
  // outside the worktree (the scorers must not see it), removed with the trial
  const stateDirectory = await mkdtemp(join(tmpdir(), `cadre-eval-${route.ref.engine}-`));
  const budget: AgentBudget = {
    maxSteps: solver.maxSteps,
    ...(solver.maxTokens === undefined ? {} : { maxTokens: solver.maxTokens }),
  };
  try {
    return await runEngineAgent({
      adapter: route.adapter,
      program: route.program,
      sandbox: engine.sandbox,
      sandboxConfig: toolConfig.shell,
      network: route.network,
      connection: route.connection,
      model: route.ref.model,
      settings: { ...route.settings, maxTurns: Math.min(route.settings.maxTurns, solver.maxSteps) },
      worktreePath,
      stateDirectory,
      prompt: engineSolverPrompt(solver, options.task),
      tools: [],
      toolContext: {
        worktreeRoot: options.worktreeRoot,
        resolvedWorktreeRoot: worktreePath,
        counters: createToolCounters(),
        config: toolConfig,
      },
      finish: async () => ({ type: 'done' }),
      budget,
      costOf: options.costOf,
      onEvent: options.onEvent,
      signal: options.signal,
    });
  } finally {
    await rm(stateDirectory, { recursive: true, force: true }).catch(() => {});
  }
}
