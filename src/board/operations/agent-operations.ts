import { z } from 'zod';
import {
  type Agent,
  AgentId,
  AgentPatch,
  NewAgent,
  type NewAgentInput,
  RunId,
} from '../../protocol/index.ts';
import { NotFoundError } from '../errors.ts';
import { agentFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { AgentsTable } from '../tables.ts';
import { type OperationContext, parseInput, toJsonText } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { assertRunExists } from './run-operations.ts';

const insertAgent = defineQuery<AgentsTable, AgentsTable>(({ db, param }) =>
  db
    .insertInto('agents')
    .values({
      id: param('id'),
      run_id: param('run_id'),
      cycle_id: param('cycle_id'),
      parent_id: param('parent_id'),
      role: param('role'),
      model: param('model'),
      prompt_hash: param('prompt_hash'),
      task_id: param('task_id'),
      status: param('status'),
      heartbeat_at: param('heartbeat_at'),
      usage: param('usage'),
      created_at: param('created_at'),
    })
    .returningAll(),
);

const selectAgent = defineQuery<{ id: string }, AgentsTable>(({ db, param }) =>
  db.selectFrom('agents').selectAll().where('id', '=', param('id')),
);

const selectAgents = defineQuery<{ runId: string; limit: number }, AgentsTable>(({ db, param }) =>
  db
    .selectFrom('agents')
    .selectAll()
    .where('run_id', '=', param('runId'))
    .orderBy('id')
    .limit(param('limit')),
);

/** Records a new agent and appends `agent.registered` (with its placement, when given), in one write. */
export async function registerAgent(runner: SqlRunner, input: NewAgentInput, context: OperationContext) {
  const agent = parseInput(NewAgent, input, 'agent');
  await assertRunExists(runner, agent.runId);
  const now = context.clock();
  const [row] = await runner.all(insertAgent, {
    id: agent.id ?? context.ids('agent'),
    run_id: agent.runId,
    cycle_id: agent.cycleId,
    parent_id: agent.parentId,
    role: agent.role,
    model: agent.model,
    prompt_hash: agent.promptHash,
    task_id: agent.taskId,
    status: agent.status,
    heartbeat_at: now,
    usage: '{}',
    created_at: now,
  });
  const registered = agentFromRow(row as AgentsTable);
  await writeEvent(
    runner,
    {
      runId: registered.runId,
      agentId: registered.id,
      taskId: registered.taskId,
      type: 'agent.registered',
      payload: {
        role: registered.role,
        model: registered.model,
        parentId: registered.parentId,
        promptHash: registered.promptHash,
        ...(registered.status === 'starting' ? {} : { status: registered.status }),
        ...(agent.placement ? { placement: agent.placement } : {}),
      },
    },
    now,
  );
  return registered;
}

/** An agent's own update of its status, task, model or usage; it also counts as a heartbeat. */
export const UpdateAgentRequest = z.object({ agentId: AgentId, patch: AgentPatch });
/** An agent's own update. */
export type UpdateAgentRequest = z.input<typeof UpdateAgentRequest>;

const agentColumns = { status: 'status', taskId: 'task_id', usage: 'usage', model: 'model' } as const;

const updateAgentQuery = defineQuery<Record<string, unknown>, AgentsTable, string[]>(
  ({ db, param, shape }) => {
    const changes: Record<string, unknown> = { heartbeat_at: param('now') };
    for (const key of shape) changes[agentColumns[key as keyof typeof agentColumns]] = param(key);
    return db
      .updateTable('agents')
      .set(changes)
      .where('id', '=', param('agentId') as string)
      .returningAll();
  },
);

/** Updates an agent; appends `agent.updated` when its status, task or model changed (not for usage alone). */
export async function updateAgent(
  runner: SqlRunner,
  input: UpdateAgentRequest,
  context: OperationContext,
): Promise<Agent> {
  const request = parseInput(UpdateAgentRequest, input, 'agent update');
  const args: Record<string, unknown> = { agentId: request.agentId, now: context.clock() };
  const { patch } = request;
  if (patch.status !== undefined) args.status = patch.status;
  if (patch.taskId !== undefined) args.taskId = patch.taskId;
  if (patch.model !== undefined) args.model = patch.model;
  if ('usage' in patch) args.usage = toJsonText(patch.usage, 'usage');
  const keys = Object.keys(args)
    .filter((key) => key in agentColumns)
    .sort();
  const [row] = await runner.all(updateAgentQuery, args, keys);
  if (!row) throw new NotFoundError('agent', request.agentId);
  const agent = agentFromRow(row);
  if (patch.status !== undefined || patch.taskId !== undefined || patch.model !== undefined) {
    const { usage: _usage, ...visible } = patch;
    await writeEvent(
      runner,
      {
        runId: agent.runId,
        agentId: agent.id,
        taskId: agent.taskId,
        type: 'agent.updated',
        payload: visible,
      },
      args.now as number,
    );
  }
  return agent;
}

/** Reads one agent. */
export async function getAgent(runner: SqlRunner, agentId: string): Promise<Agent> {
  const id = parseInput(AgentId, agentId, 'agent id');
  const [row] = await runner.all(selectAgent, { id });
  if (!row) throw new NotFoundError('agent', id);
  return agentFromRow(row);
}

/** Lists a run's agents in creation order. */
export async function listAgents(
  runner: SqlRunner,
  input: { runId: string; limit?: number },
): Promise<Agent[]> {
  const runId = parseInput(RunId, input.runId, 'run id');
  const limit = parseInput(z.int().min(1).max(100_000).default(10_000), input.limit, 'limit');
  const rows = await runner.all(selectAgents, { runId, limit });
  return rows.map(agentFromRow);
}
