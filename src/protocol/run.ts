import { z } from 'zod';
import { AgentId, CycleId, LeaseOwner, MessageId, RunId, TaskId } from './ids.ts';
import { Task } from './task.ts';
import { Verdict } from './verdict.ts';

/** Where a run is in its life. */
export const RunStatus = z.enum(['running', 'paused', 'stopping', 'done', 'failed', 'stopped']);
/** Where a run is in its life. */
export type RunStatus = z.infer<typeof RunStatus>;

/** A run: one goal pursued over cycles on one repository. */
export const Run = z.object({
  id: RunId,
  goal: z.string(),
  config: z.unknown(),
  status: RunStatus,
  budgetUsd: z.number().nullable(),
  version: z.int().min(1),
  createdAt: z.int(),
  updatedAt: z.int(),
});
/** A run. */
export type Run = z.infer<typeof Run>;

/** What a caller gives to create a run. */
export const NewRun = z.object({
  id: RunId.optional(),
  goal: z.string().min(1, 'a run needs a goal').max(200_000),
  config: z.unknown().default({}),
  budgetUsd: z.number().positive().nullable().default(null),
});
/** What a caller gives to create a run (before defaults). */
export type NewRunInput = z.input<typeof NewRun>;

/** The fields of a run that may be edited with an optimistic version check. */
export const RunPatch = z
  .object({
    goal: z.string().min(1).max(200_000),
    status: RunStatus,
    budgetUsd: z.number().positive().nullable(),
  })
  .partial()
  .strict();
/** The fields of a run that may be edited. */
export type RunPatch = z.infer<typeof RunPatch>;

/** Where a cycle is in its life. */
export const CycleStatus = z.enum(['running', 'judging', 'done', 'failed']);
/** Where a cycle is in its life. */
export type CycleStatus = z.infer<typeof CycleStatus>;

/** A cycle: one round of planning, working and judging with fresh agents. */
export const Cycle = z.object({
  id: CycleId,
  runId: RunId,
  n: z.int().min(1),
  status: CycleStatus,
  /** The judge's verdict; null until judged (and for a stored verdict this cadre cannot read). */
  verdict: Verdict.nullable(),
  /** The hub commit the cycle's work started from; null for cycles of boards before schema version 3. */
  baseCommit: z.string().nullable(),
  startedAt: z.int(),
  endedAt: z.int().nullable(),
});
/** A cycle. */
export type Cycle = z.infer<typeof Cycle>;

/** The role an agent plays; custom roles are allowed by name. */
export const AgentRole = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a role is a lowercase word such as "worker"');

/** Where an agent is in its life. */
export const AgentStatus = z.enum(['starting', 'running', 'paused', 'done', 'failed', 'stopped']);
/** Where an agent is in its life. */
export type AgentStatus = z.infer<typeof AgentStatus>;

/** An agent as recorded on the board. */
export const Agent = z.object({
  id: AgentId,
  runId: RunId,
  cycleId: CycleId.nullable(),
  parentId: AgentId.nullable(),
  role: AgentRole,
  model: z.string(),
  promptHash: z.string(),
  taskId: TaskId.nullable(),
  status: AgentStatus,
  heartbeatAt: z.int(),
  usage: z.unknown(),
  createdAt: z.int(),
});
/** An agent as recorded on the board. */
export type Agent = z.infer<typeof Agent>;

/** What a caller gives to register an agent. */
export const NewAgent = z.object({
  id: AgentId.optional(),
  runId: RunId,
  cycleId: CycleId.nullable().default(null),
  parentId: AgentId.nullable().default(null),
  role: AgentRole,
  model: z.string().min(1),
  promptHash: z.string().default(''),
  taskId: TaskId.nullable().default(null),
  /** `running` registers an agent that starts at once, saving the separate status update. */
  status: z.enum(['starting', 'running']).default('starting'),
  /** Which process runs the agent (host, pid, …); stored in the `agent.registered` event. */
  placement: z.record(z.string(), z.unknown()).optional(),
});
/** What a caller gives to register an agent (before defaults). */
export type NewAgentInput = z.input<typeof NewAgent>;

/** The fields of an agent its owner updates as it goes. */
export const AgentPatch = z
  .object({ status: AgentStatus, taskId: TaskId.nullable(), usage: z.unknown(), model: z.string().min(1) })
  .partial()
  .strict();
/** The fields of an agent its owner updates as it goes. */
export type AgentPatch = z.infer<typeof AgentPatch>;

/** What a message in the inbox asks of its recipient. */
export const InboxKind = z.enum(['steer', 'stop', 'pause', 'resume']);
/** What a message in the inbox asks of its recipient. */
export type InboxKind = z.infer<typeof InboxKind>;

/**
 * Who a message is for: one agent, or the run itself (its orchestrator, which fans a run-wide
 * stop or pause out to its agents).
 */
export const Recipient = z.discriminatedUnion('type', [
  z.object({ type: z.literal('agent'), runId: RunId, agentId: AgentId }),
  z.object({ type: z.literal('run'), runId: RunId }),
]);
/** Who a message is for. */
export type Recipient = z.infer<typeof Recipient>;

/** A message in the inbox. */
export const InboxMessage = z.object({
  id: MessageId,
  runId: RunId,
  agentId: AgentId.nullable(),
  kind: InboxKind,
  body: z.string(),
  createdAt: z.int(),
  deliveredAt: z.int().nullable(),
});
/** A message in the inbox. */
export type InboxMessage = z.infer<typeof InboxMessage>;

/** A git commit's object name (7-64 lowercase hex digits): one rule for landings and the merge queue. */
export const CommitSha = z.string().regex(/^[0-9a-f]{7,64}$/, 'a commit is a hex object name');
/** A git commit's object name. */
export type CommitSha = z.infer<typeof CommitSha>;

/** A record that a task's change reached the shared branch. */
export const Landing = z.object({
  taskId: TaskId,
  runId: RunId,
  fence: z.int().min(1),
  commit: CommitSha,
  at: z.int(),
});
/** A record that a task's change reached the shared branch. */
export type Landing = z.infer<typeof Landing>;

/** A lease granted by a claim: the task, the owner, until when, and the fence to present later. */
export const Lease = z.object({
  taskId: TaskId,
  runId: RunId,
  owner: LeaseOwner,
  fence: z.int().min(1),
  expiresAt: z.int(),
});
/** A lease granted by a claim. */
export type Lease = z.infer<typeof Lease>;

/**
 * What a claim grants: the lease, with the task as it is leased (status `leased`, this fence), so
 * the claimer needs no second read.
 */
export const ClaimedLease = Lease.extend({ task: Task });
/** What a claim grants: the lease, with the leased task. */
export type ClaimedLease = z.infer<typeof ClaimedLease>;
