// The role-playing model: a responder for the protocol server that answers like cadre's agents would.
export { type BriefingFacts, readBriefing } from './briefing.ts';
export type { Conversation, ConversationEntry, OfferedTool } from './conversation.ts';
export { type ImperfectionKind, imperfectionKinds, isImperfectTurn } from './imperfection.ts';
export { defaultStopAtCycle, judgeContinues } from './judge-role.ts';
export { parseRequest } from './parse-request.ts';
export { defaultPlannerSettings, type PlannerSettings } from './planner-role.ts';
export { type RolePlayRole, roleOf, roleOfRequest } from './role.ts';
export { createRolePlayResponder, type RolePlayOptions, type ServedTurn } from './role-play-responder.ts';
export { type ServedSummary, type ServedTotals, summarizeServed } from './served-ledger.ts';
