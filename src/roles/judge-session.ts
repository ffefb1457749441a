import type { Tool } from '../agent/index.ts';
import { type JudgeBriefing, renderBriefing } from './briefing.ts';
import { createJudgeTools } from './judge-tools.ts';
import type { LoadedPrompt } from './prompts.ts';
import { endReasonText, type RoleSession } from './role-session.ts';

/** What a judge session is built from. */
export interface JudgeSessionOptions {
  prompt: LoadedPrompt;
  /** Read-only tools bound to a checkout of the branch tip. */
  readTools: Tool[];
  briefing: Omit<JudgeBriefing, 'type'>;
}

/** Builds the judge: read-only tools and `submit_verdict`; its task completes with the verdict. */
export function createJudgeSession(options: JudgeSessionOptions): RoleSession {
  const judge = createJudgeTools();
  return {
    role: 'judge',
    system: options.prompt.text,
    briefing: renderBriefing({ type: 'judge', ...options.briefing }),
    tools: [...options.readTools, ...judge.tools],
    isFinished: () => judge.state.verdict !== null,
    settle(result) {
      if (judge.state.verdict) return { type: 'complete', result: judge.state.verdict, handoff: null };
      return { type: 'fail', reason: `no verdict: ${endReasonText(result)}`, retryable: true };
    },
  };
}
