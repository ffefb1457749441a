import type { Tool } from '../agent/index.ts';
import { type JudgeBriefing, renderBriefing } from './briefing.ts';
import { createJudgeTools, type JudgeWaitOptions } from './judge-tools.ts';
import type { LoadedPrompt } from './prompts.ts';
import { endReasonText, type RoleSession } from './role-session.ts';

/** What a judge session is built from. */
export interface JudgeSessionOptions {
  prompt: LoadedPrompt;
  /** Read-only tools bound to a checkout of the branch tip. */
  readTools: Tool[];
  briefing: Omit<JudgeBriefing, 'type'>;
  /** What `wait_for_changes` watches; without it the judge cannot wait. */
  wait?: JudgeWaitOptions;
}

/** Builds the judge: read-only tools and `submit_verdict`; its task completes with the verdict or fails for good. */
export function createJudgeSession(options: JudgeSessionOptions): RoleSession {
  const judge = createJudgeTools(options.wait);
  return {
    role: 'judge',
    system: options.prompt.text,
    briefing: renderBriefing({ type: 'judge', ...options.briefing }),
    tools: [...options.readTools, ...judge.tools],
    isFinished: () => judge.state.verdict !== null,
    settle(result) {
      if (judge.state.verdict) return { type: 'complete', result: judge.state.verdict, handoff: null };
      // not reopened: the orchestrator retries a judge by filing a fresh task, and a reopened one
      // would linger as an open judge task that a later claim could pick up
      return { type: 'fail', reason: `no verdict: ${endReasonText(result)}`, retryable: false };
    },
  };
}
