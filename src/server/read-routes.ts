import type { Hono } from 'hono';
import { NotFoundError } from '../board/index.ts';
import { readQueueSummary, readSandboxStatuses, readSetupSummary } from '../orchestrator/index.ts';
import type { Agent } from '../protocol/index.ts';
import { parseOrThrow } from './api-errors.ts';
import { AgentListQuery, RunListQuery, RunParams, TaskListQuery } from './api-schemas.ts';
import type { AgentView, ListPage, RunOverview, TaskView } from './api-types.ts';
import { type DashboardContext, toAgentView, toTaskView } from './dashboard-context.ts';
import { buildUsageReport, countAgents, landingsPerHour } from './usage-report.ts';

// the board lists at most this many agents of a run in one read; agent pages are cut from it
const agentReadLimit = 100_000;

/** Registers the read-only JSON routes: runs, overview, cycles, tasks, agents, landings, usage. */
export function registerReadRoutes(app: Hono, context: DashboardContext) {
  const { board } = context;
  const runOf = (params: Record<string, string>) => parseOrThrow(RunParams, params, 'run id').runId;
  const allAgents = (runId: string, signal: AbortSignal) =>
    board.listAgents({ runId, limit: agentReadLimit }, { signal });

  app.get('/api/runs', async (c) => {
    const query = parseOrThrow(RunListQuery, c.req.query(), 'query');
    return c.json({ items: await board.listRuns({ limit: query.limit, signal: c.req.raw.signal }) });
  });

  app.get('/api/runs/:runId', async (c) => c.json(await board.getRun(runOf(c.req.param()))));

  app.get('/api/runs/:runId/overview', async (c) => {
    const runId = runOf(c.req.param());
    const signal = c.req.raw.signal;
    const projection = await context.projection(runId, signal);
    const [run, cycles, taskCounts, agents, sandboxes, setup, queue] = await Promise.all([
      board.getRun(runId, { signal }),
      board.listCycles(runId, { signal }),
      board.countTasks(runId, { signal }),
      allAgents(runId, signal),
      readSandboxStatuses(board, runId, signal),
      readSetupSummary(board, runId, signal),
      readQueueSummary(board, runId, signal),
    ]);
    const overview: RunOverview = {
      run,
      cycles,
      taskCounts,
      agentCounts: countAgents(agents),
      usage: buildUsageReport(agents).total,
      liveUsage: projection.liveUsage(),
      timeline: projection.timeline(),
      landingsPerHour: landingsPerHour(projection.landings),
      lastSeq: projection.index.lastSeq,
      sandboxes,
      setup,
      queue,
    };
    return c.json(overview);
  });

  app.get('/api/runs/:runId/cycles', async (c) =>
    c.json({ items: await board.listCycles(runOf(c.req.param()), { signal: c.req.raw.signal }) }),
  );

  app.get('/api/runs/:runId/tasks', async (c) => {
    const runId = runOf(c.req.param());
    const query = parseOrThrow(TaskListQuery, c.req.query(), 'task query');
    const signal = c.req.raw.signal;
    const projection = await context.projection(runId, signal);
    if (query.ids) {
      const tasks = await Promise.all(
        query.ids.map((id) => board.getTask(id, { signal }).catch((error) => ignoreMissing(error))),
      );
      const items = tasks.filter((task) => task !== null && task.runId === runId);
      return c.json({ items: items.map((task) => toTaskView(task!, projection)), nextAfterId: null });
    }
    const tasks = await board.listTasks(
      {
        runId,
        status: query.status,
        kind: query.kind,
        afterId: query.afterId,
        limit: query.limit + 1,
      },
      { signal },
    );
    const page: ListPage<TaskView> = {
      items: tasks.slice(0, query.limit).map((task) => toTaskView(task, projection)),
      nextAfterId: tasks.length > query.limit ? (tasks[query.limit - 1]?.id ?? null) : null,
    };
    return c.json(page);
  });

  app.get('/api/runs/:runId/tasks/:taskId', async (c) => {
    const runId = runOf(c.req.param());
    const projection = await context.projection(runId, c.req.raw.signal);
    const task = await board.getTask(c.req.param('taskId'), { signal: c.req.raw.signal });
    if (task.runId !== runId) throw new NotFoundError('task', task.id);
    return c.json(toTaskView(task, projection));
  });

  app.get('/api/runs/:runId/agents', async (c) => {
    const runId = runOf(c.req.param());
    const query = parseOrThrow(AgentListQuery, c.req.query(), 'agent query');
    const signal = c.req.raw.signal;
    const projection = await context.projection(runId, signal);
    let agents: Agent[] = await allAgents(runId, signal);
    if (query.ids) {
      const wanted = new Set(query.ids);
      agents = agents.filter((agent) => wanted.has(agent.id));
    }
    if (query.role) agents = agents.filter((agent) => agent.role === query.role);
    if (query.status) agents = agents.filter((agent) => agent.status === query.status);
    const afterId = query.afterId;
    if (afterId) agents = agents.filter((agent) => agent.id > afterId);
    const page: ListPage<AgentView> = {
      items: agents.slice(0, query.limit).map((agent) => toAgentView(agent, projection)),
      nextAfterId: agents.length > query.limit ? (agents[query.limit - 1]?.id ?? null) : null,
    };
    return c.json(page);
  });

  app.get('/api/runs/:runId/agents/:agentId', async (c) => {
    const runId = runOf(c.req.param());
    const projection = await context.projection(runId, c.req.raw.signal);
    const agent = await board.getAgent(c.req.param('agentId'), { signal: c.req.raw.signal });
    if (agent.runId !== runId) throw new NotFoundError('agent', agent.id);
    return c.json(toAgentView(agent, projection));
  });

  app.get('/api/runs/:runId/landings', async (c) => {
    const projection = await context.projection(runOf(c.req.param()), c.req.raw.signal);
    return c.json({ items: projection.landings });
  });

  app.get('/api/runs/:runId/usage', async (c) => {
    const runId = runOf(c.req.param());
    await board.getRun(runId, { signal: c.req.raw.signal });
    return c.json(buildUsageReport(await allAgents(runId, c.req.raw.signal)));
  });
}

function ignoreMissing(error: unknown): null {
  if (error instanceof NotFoundError) return null;
  throw error;
}
