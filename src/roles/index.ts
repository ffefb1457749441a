// The public face of src/roles: other modules import from here, never from deeper files.
export type { JudgeBriefing } from './briefing.ts';
export { engineBriefing, engineGaveUpPrefix, finishEngineWork } from './engine-worker.ts';
export { createJudgeSession } from './judge-session.ts';
export { failEarlyPlannerEnd } from './planner-early-end.ts';
export { createPlannerSession } from './planner-session.ts';
export { type LoadedPrompt, loadPrompt } from './prompts.ts';
export type { RoleSession, TaskSettlement } from './role-session.ts';
export { type PastCall, pastCalls } from './sim/conversation.ts';
export { createFleetSimPolicies } from './sim/index.ts';
export { Verdict } from './verdict.ts';
export { createWorkerSession } from './worker-session.ts';
