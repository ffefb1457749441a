import type { AgentResult, Tool } from '../agent/index.ts';
import { describeAgentEndReason } from '../agent/index.ts';
import type { Task } from '../protocol/index.ts';

/** What the orchestrator does with an agent's task once the agent has ended. */
export type TaskSettlement =
  | { type: 'complete'; result: unknown; handoff: string | null }
  | { type: 'fail'; reason: string; retryable: boolean };

/** One agent's role-specific part: its prompt, first message, tools and how its task is settled. */
export interface RoleSession {
  role: 'planner' | 'worker' | 'judge';
  system: string;
  /** The first user message (a rendered briefing). */
  briefing: string;
  tools: Tool[];
  /**
   * Whether the task's outcome is decided, so the agent may end — asked after every step and on a
   * text-only answer. Decided by what the agent achieved (a worker landed and handed off, or gave up),
   * never by the name of the tool it called last.
   */
  isFinished(): boolean;
  settle(result: AgentResult): TaskSettlement;
}

/** Why an agent ended, as one line for a task's failure reason. */
export function endReasonText(result: AgentResult): string {
  return describeAgentEndReason(result.reason);
}

/** A one-line label of a task for logs. */
export function taskLabel(task: Pick<Task, 'id' | 'title'>): string {
  return `${task.id} (${task.title})`;
}
