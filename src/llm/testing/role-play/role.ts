import type { RecordedRequest } from '../protocol-server/protocol-server.ts';
import type { OfferedTool } from './conversation.ts';
import { parseRequest } from './parse-request.ts';

/** The part an agent plays, as its tools give it away. */
export type RolePlayRole = 'planner' | 'worker' | 'judge' | 'engine-worker' | 'unknown';

/**
 * Derives the role from the tools on offer, the way a model infers its job from them: `land` or
 * `handoff` make a worker, `create_task` or `finish_planning` a planner, `submit_verdict` a judge.
 */
export function roleOf(tools: readonly Pick<OfferedTool, 'name'>[]): RolePlayRole {
  const names = new Set(tools.map((tool) => tool.name));
  if (names.has('land') || names.has('handoff')) return 'worker';
  if (names.has('create_task') || names.has('finish_planning')) return 'planner';
  if (names.has('submit_verdict')) return 'judge';
  // an engine's own tools: Claude Code's Write, Codex's exec_command
  if (names.has('Write') || names.has('exec_command')) return 'engine-worker';
  return 'unknown';
}

/** The role of a recorded request, or `unknown` when its body cannot be read. */
export function roleOfRequest(request: Pick<RecordedRequest, 'protocol' | 'body'>): RolePlayRole {
  try {
    return roleOf(parseRequest(request).tools);
  } catch {
    return 'unknown';
  }
}
