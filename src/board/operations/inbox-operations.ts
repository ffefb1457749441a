import { z } from 'zod';
import { InboxKind, type InboxMessage, MessageId, Recipient, RunId } from '../../protocol/index.ts';
import { messageFromRow } from '../rows.ts';
import type { SqlRunner } from '../sql/executor.ts';
import { defineQuery } from '../sql/query.ts';
import type { InboxTable } from '../tables.ts';
import { getAgent } from './agent-operations.ts';
import { type OperationContext, parseInput } from './context.ts';
import { writeEvent } from './event-operations.ts';
import { assertRunExists } from './run-operations.ts';

/** A message for an agent or a run. */
export const SendMessageRequest = z.object({
  recipient: Recipient,
  kind: InboxKind,
  body: z.string().max(100_000).default(''),
});
/** A message for an agent or a run (before defaults). */
export type SendMessageRequest = z.input<typeof SendMessageRequest>;

const insertMessage = defineQuery<InboxTable, InboxTable>(({ db, param }) =>
  db
    .insertInto('inbox')
    .values({
      id: param('id'),
      run_id: param('run_id'),
      agent_id: param('agent_id'),
      kind: param('kind'),
      body: param('body'),
      created_at: param('created_at'),
      delivered_at: param('delivered_at'),
    })
    .returningAll(),
);

/** Puts a message in an inbox and appends `inbox.sent`. */
export async function sendMessage(runner: SqlRunner, input: SendMessageRequest, context: OperationContext) {
  const request = parseInput(SendMessageRequest, input, 'message');
  const { recipient } = request;
  await assertRunExists(runner, recipient.runId);
  let agentId: string | null = null;
  switch (recipient.type) {
    case 'agent': {
      const agent = await getAgent(runner, recipient.agentId);
      agentId = agent.id;
      break;
    }
    case 'run':
      break;
  }
  const now = context.clock();
  const [row] = await runner.all(insertMessage, {
    id: context.ids('message'),
    run_id: recipient.runId,
    agent_id: agentId,
    kind: request.kind,
    body: request.body,
    created_at: now,
    delivered_at: null,
  });
  const message = messageFromRow(row as InboxTable);
  await writeEvent(
    runner,
    {
      runId: message.runId,
      agentId: message.agentId,
      type: 'inbox.sent',
      payload: { messageId: message.id, kind: message.kind, body: message.body },
    },
    now,
  );
  return message;
}

const selectPendingForAgent = defineQuery<{ runId: string; agentId: string; limit: number }, InboxTable>(
  ({ db, param }) =>
    db
      .selectFrom('inbox')
      .selectAll()
      .where('run_id', '=', param('runId'))
      .where('agent_id', '=', param('agentId'))
      .where('delivered_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .limit(param('limit')),
);

const selectPendingForRun = defineQuery<{ runId: string; limit: number }, InboxTable>(({ db, param }) =>
  db
    .selectFrom('inbox')
    .selectAll()
    .where('run_id', '=', param('runId'))
    .where('agent_id', 'is', null)
    .where('delivered_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(param('limit')),
);

/** Reads undelivered messages for a recipient, oldest first; they stay pending until acknowledged. */
export async function pollInbox(
  runner: SqlRunner,
  input: { recipient: Recipient; limit?: number },
): Promise<InboxMessage[]> {
  const recipient = parseInput(Recipient, input.recipient, 'recipient');
  const limit = parseInput(z.int().min(1).max(1000).default(100), input.limit, 'limit');
  switch (recipient.type) {
    case 'agent': {
      const rows = await runner.all(selectPendingForAgent, {
        runId: recipient.runId,
        agentId: recipient.agentId,
        limit,
      });
      return rows.map(messageFromRow);
    }
    case 'run': {
      const rows = await runner.all(selectPendingForRun, { runId: recipient.runId, limit });
      return rows.map(messageFromRow);
    }
  }
}

const selectPendingForAgents = defineQuery<{ runId: string; limit: number }, InboxTable>(({ db, param }) =>
  db
    .selectFrom('inbox')
    .selectAll()
    .where('run_id', '=', param('runId'))
    .where('agent_id', 'is not', null)
    .where('delivered_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(param('limit')),
);

/**
 * Undelivered messages addressed to any agent of a run, oldest first: one query a whole fleet
 * shares, instead of one per agent per poll.
 */
export async function pendingAgentMessages(
  runner: SqlRunner,
  input: { runId: string; limit?: number },
): Promise<InboxMessage[]> {
  const runId = parseInput(RunId, input.runId, 'run id');
  const limit = parseInput(z.int().min(1).max(10_000).default(1000), input.limit, 'limit');
  const rows = await runner.all(selectPendingForAgents, { runId, limit });
  return rows.map(messageFromRow);
}

const deliverMessage = defineQuery<{ id: string; now: number }, InboxTable>(({ db, param }) =>
  db
    .updateTable('inbox')
    .set({ delivered_at: param('now') })
    .where('id', '=', param('id'))
    .where('delivered_at', 'is', null)
    .returningAll(),
);

/** Marks messages delivered (each once) and appends `inbox.delivered` for each. */
export async function acknowledge(
  runner: SqlRunner,
  input: { messageIds: readonly string[] },
  context: OperationContext,
): Promise<InboxMessage[]> {
  const ids = parseInput(z.array(MessageId).max(1000), input.messageIds, 'message ids');
  const now = context.clock();
  const delivered: InboxMessage[] = [];
  for (const id of ids) {
    const [row] = await runner.all(deliverMessage, { id, now });
    if (!row) continue;
    const message = messageFromRow(row);
    delivered.push(message);
    await writeEvent(
      runner,
      {
        runId: message.runId,
        agentId: message.agentId,
        type: 'inbox.delivered',
        payload: { messageId: id, kind: message.kind },
      },
      now,
    );
  }
  return delivered;
}
