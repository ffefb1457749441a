import type { Hono } from 'hono';
import { NotFoundError } from '../board/index.ts';
import type { Recipient } from '../protocol/index.ts';
import { ApiError, parseOrThrow } from './api-errors.ts';
import { MessageBody, RunParams } from './api-schemas.ts';
import type { DashboardContext } from './dashboard-context.ts';

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ApiError(400, 'invalid-json', 'the body is not valid JSON');
  }
}

function bodyText(message: MessageBody): string {
  switch (message.kind) {
    case 'steer':
      return message.text;
    case 'stop':
      return message.reason ?? '';
    case 'pause':
    case 'resume':
      return '';
  }
}

/** Registers the POST routes that put steer, stop, pause and resume messages in an inbox. */
export function registerControlRoutes(app: Hono, context: DashboardContext) {
  const { board } = context;
  const send = async (recipient: Recipient, request: Request) => {
    const message = parseOrThrow(MessageBody, await readJson(request), 'message');
    return board.sendMessage(
      { recipient, kind: message.kind, body: bodyText(message) },
      { signal: request.signal },
    );
  };

  app.post('/api/runs/:runId/agents/:agentId/messages', async (c) => {
    const { runId } = parseOrThrow(RunParams, c.req.param(), 'run id');
    const agent = await board.getAgent(c.req.param('agentId'), { signal: c.req.raw.signal });
    if (agent.runId !== runId) throw new NotFoundError('agent', agent.id);
    const sent = await send({ type: 'agent', runId, agentId: agent.id }, c.req.raw);
    return c.json(sent, 201);
  });

  app.post('/api/runs/:runId/messages', async (c) => {
    const { runId } = parseOrThrow(RunParams, c.req.param(), 'run id');
    const sent = await send({ type: 'run', runId }, c.req.raw);
    return c.json(sent, 201);
  });
}
