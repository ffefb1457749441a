import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentResult } from '../../agent/index.ts';
import { type EngineRoute, runEngineAgent } from '../../engines/index.ts';
import { engineBriefing, finishEngineWork, type RoleSession } from '../../roles/index.ts';
import { createSandbox } from '../../sandbox/index.ts';
import type { Worktree } from '../../workspace/index.ts';
import { jobInbox, jobToolContext } from './job-agent-context.ts';
import type { JobState } from './job-state.ts';

/**
 * Runs a worker's task with an external agent program instead of cadre's loop: the same briefing and
 * rules, the program in the worktree inside the sandbox, its events stored like the loop's, and its
 * final answer landed with the worker's own `land` and `handoff` (a conflict resumes its session).
 */
export async function runEngineJob(
  state: JobState,
  worktree: Worktree,
  session: RoleSession,
  route: EngineRoute,
  onEvent: Parameters<typeof runEngineAgent>[0]['onEvent'],
): Promise<AgentResult> {
  const { deps, job } = state;
  const stateDirectory =
    deps.engines?.stateDirectory(job.agentId) ?? join(worktree.path, '..', `${job.agentId}-engine`);
  try {
    return await runEngineAgent({
      adapter: route.adapter,
      program: route.program,
      sandbox: deps.sandbox ?? createSandbox(),
      // the shell's settings (limits, bubblewrap, unsandboxed fallback); network and mounts are the engine's
      sandboxConfig: deps.toolConfig.shell,
      network: route.network,
      connection: route.connection,
      model: route.ref.model,
      settings: route.settings,
      worktreePath: worktree.realPath,
      stateDirectory,
      prompt: engineBriefing(session),
      tools: session.tools,
      toolContext: jobToolContext(state, worktree),
      finish: (finalText, callTool) => finishEngineWork(session, job.task.title, finalText, callTool),
      budget: deps.config.budgets[job.role],
      costOf: deps.models.costOf,
      pollInbox: jobInbox(state),
      ...(deps.inboxPollIntervalMs ? { inboxPollIntervalMs: deps.inboxPollIntervalMs } : {}),
      clock: deps.clock,
      onEvent,
      signal: state.controller.signal,
    });
  } finally {
    await rm(stateDirectory, { recursive: true, force: true }).catch(() => {});
  }
}
