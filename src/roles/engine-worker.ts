import type { ToolOutcome } from '../agent/index.ts';
import type { CallTool, EngineFinish } from '../engines/index.ts';
import { conflictFilesPrefix } from './land-tool.ts';
import type { RoleSession } from './role-session.ts';

/** The rules an engine's program follows on top of the worker's prompt: cadre commits and lands, not it. */
export const engineRules = `# How this task runs
You work in a git worktree that cadre gave you; other agents work on the same project in theirs.
- Change files in the working directory only. Do not commit, push, rebase, reset, stash or otherwise
  rewrite git history: when you finish, cadre commits what you leave and lands it on the shared branch.
- The project's tools (land, handoff, board tools) are not yours to call: end your turn instead.
- When the task is done, end with a short summary of what you did, what is left and what you noticed;
  it becomes your handoff to the planners.
- If cadre comes back with a conflict report or failing checks, resolve them in your working directory
  (remove every conflict marker) and end your turn again.
- If you cannot finish the task, say so plainly at the start of your final answer, beginning with
  "GAVE UP:" and the reason.`;

/** Marks a final answer that gives the task up, so the task fails and goes back to the board. */
export const engineGaveUpPrefix = 'GAVE UP:';

/** The engine's first message: the worker's prompt, its briefing and the engine's rules. */
export function engineBriefing(session: Pick<RoleSession, 'system' | 'briefing'>): string {
  return `${session.system}\n\n${engineRules}\n\n${session.briefing}`;
}

/**
 * What a worker does with an engine's final answer, with its own tools: gives the task up when the
 * answer does, else lands the worktree (the commit message is the task's title and the answer) and
 * hands off with the answer. A conflict report, failing checks or nothing to land go back to the
 * engine's session as the next message; the task is done once the session says it is.
 */
export async function finishEngineWork(
  session: Pick<RoleSession, 'isFinished'>,
  title: string,
  finalText: string,
  callTool: CallTool,
): Promise<EngineFinish> {
  const text = finalText.trim() || 'The engine ended without a summary.';
  if (text.startsWith(engineGaveUpPrefix)) {
    const reason = text.slice(engineGaveUpPrefix.length).trim() || 'no reason given';
    await callTool('handoff', { done: 'Nothing landed.', gaveUp: true, reason });
    return { type: 'done' };
  }
  const landed = await callTool('land', { message: `${title}\n\n${text}`.slice(0, 10_000) });
  if (!succeeded(landed) || landed.output.startsWith(conflictFilesPrefix))
    return { type: 'resume', message: `cadre could not land your work yet:\n\n${landed.output}` };
  const handoff = await callTool('handoff', { done: text.slice(0, 20_000) });
  if (session.isFinished()) return { type: 'done' };
  return { type: 'resume', message: `cadre could not finish your task yet:\n\n${handoff.output}` };
}

function succeeded(outcome: ToolOutcome): boolean {
  return outcome.type === 'success';
}
