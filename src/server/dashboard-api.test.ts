import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardEvent } from '../protocol/index.ts';
import type { AgentView, EventPage, ListPage, RunOverview, TaskView, UsageReport } from './api-types.ts';
import { createDashboardServer } from './dashboard-server.ts';
import { createSeededBoard, type SeededBoard } from './testing/seeded-board.ts';

const token = 'test-token-0123456789abcdef';
let seeded: SeededBoard;
let app: ReturnType<typeof createDashboardServer>;

const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
  app.request(path, { headers });
const getJson = async <Result>(path: string): Promise<Result> => {
  const response = await get(path);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Result;
};

beforeAll(async () => {
  seeded = await createSeededBoard(25);
  app = createDashboardServer({ board: seeded.board, token });
});
afterAll(async () => {
  await seeded.cleanup();
});

describe('dashboard API: access', () => {
  it('refuses a call without the token, with a JSON error', async () => {
    const response = await get('/api/runs', {});
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: 'unauthorized' } });
  });

  it('refuses a wrong token, in either header', async () => {
    expect((await get('/api/runs', { authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await get('/api/runs', { 'x-cadre-token': `${token}x` })).status).toBe(401);
  });

  it('accepts the token in either header', async () => {
    expect((await get('/api/runs')).status).toBe(200);
    expect((await get('/api/runs', { 'x-cadre-token': token })).status).toBe(200);
  });

  it('takes the token from the query only for the event stream', async () => {
    expect((await get(`/api/runs?token=${token}`, {})).status).toBe(401);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'not-found' } });
  });
});

describe('dashboard API: sandbox', () => {
  it('shows how each process of the run sandboxes commands, the newest status per process', async () => {
    const status = (type: 'unsandboxed' | 'refused') =>
      type === 'refused'
        ? { type, reason: 'bubblewrap (bwrap) is not installed' }
        : { type, reason: 'bubblewrap (bwrap) is not installed', network: { type: 'none' as const } };
    for (const [pid, type] of [
      [1, 'refused'],
      [1, 'unsandboxed'],
      [2, 'unsandboxed'],
    ] as const)
      await seeded.board.appendEvent({
        runId: seeded.runId,
        type: 'sandbox.status',
        payload: { host: 'machine-a', pid, status: status(type) },
      });
    const overview = await getJson<RunOverview>(`/api/runs/${seeded.runId}/overview`);
    expect(overview.sandboxes.map((entry) => [entry.pid, entry.status.type])).toEqual([
      [1, 'unsandboxed'],
      [2, 'unsandboxed'],
    ]);
  });
});

describe('dashboard API: reads', () => {
  it('lists runs and gives an overview with counts, usage and landings', async () => {
    const runs = await getJson<{ items: { id: string }[] }>('/api/runs');
    expect(runs.items.map((run) => run.id)).toEqual([seeded.runId]);
    const overview = await getJson<RunOverview>(`/api/runs/${seeded.runId}/overview`);
    expect(overview.run.goal).toBe('seeded dashboard run');
    expect(overview.taskCounts.open).toBe(25);
    expect(overview.agentCounts).toEqual({ planner: { starting: 1 }, worker: { running: 2 } });
    expect(overview.usage).toMatchObject({ agents: 3, inputTokens: 200, outputTokens: 40 });
    expect(overview.timeline.at(-1)).toMatchObject({ tokens: 240 });
    expect(overview.landingsPerHour.reduce((sum, hour) => sum + hour.count, 0)).toBe(1);
    expect(overview.lastSeq).toBeGreaterThan(25);
    expect(overview.queue).toBeNull();
  });

  it('pages tasks by id without gaps or repeats, and marks the landed commit', async () => {
    const seen: TaskView[] = [];
    let afterId: string | null = null;
    let pages = 0;
    do {
      const query: string = afterId ? `&afterId=${afterId}` : '';
      const page: ListPage<TaskView> = await getJson(`/api/runs/${seeded.runId}/tasks?limit=10${query}`);
      seen.push(...page.items);
      afterId = page.nextAfterId;
      pages++;
    } while (afterId);
    expect(pages).toBe(3);
    expect(seen.map((task) => task.id)).toEqual(seeded.tasks.map((task) => task.id).sort());
    expect(seen.find((task) => task.id === seeded.tasks[0]?.id)?.landedCommit).toBe('abcdef1234567');
  });

  it('refreshes chosen tasks and agents by id', async () => {
    const ids = seeded.tasks.slice(3, 5).map((task) => task.id);
    const tasks = await getJson<ListPage<TaskView>>(`/api/runs/${seeded.runId}/tasks?ids=${ids.join(',')}`);
    expect(tasks.items.map((task) => task.id).sort()).toEqual([...ids].sort());
    const worker = seeded.workers[1]?.id as string;
    const agents = await getJson<ListPage<AgentView>>(`/api/runs/${seeded.runId}/agents?ids=${worker}`);
    expect(agents.items.map((agent) => agent.id)).toEqual([worker]);
  });

  it('pages agents and tells what each is doing from its events', async () => {
    const first = await getJson<ListPage<AgentView>>(`/api/runs/${seeded.runId}/agents?limit=2`);
    expect(first.items).toHaveLength(2);
    expect(first.nextAfterId).toBe(first.items[1]?.id);
    const rest = await getJson<ListPage<AgentView>>(
      `/api/runs/${seeded.runId}/agents?limit=2&afterId=${first.nextAfterId}`,
    );
    expect(rest.items).toHaveLength(1);
    expect(rest.nextAfterId).toBeNull();
    const worker = await getJson<AgentView>(`/api/runs/${seeded.runId}/agents/${seeded.workers[0]?.id}`);
    // the model call after the tool call ends the "tool" activity
    expect(worker.activity).toEqual({ type: 'idle' });
    expect(worker.eventCount).toBeGreaterThanOrEqual(3);
  });

  it('pages events forward and backward, filtered by agent, task and type prefix', async () => {
    const base = `/api/runs/${seeded.runId}/events`;
    const all: BoardEvent[] = [];
    let afterSeq: number | null = 0;
    while (afterSeq !== null) {
      const page: EventPage = await getJson(`${base}?limit=7&afterSeq=${afterSeq}`);
      all.push(...page.events);
      afterSeq = page.nextAfterSeq;
    }
    const seqs = all.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((left, right) => left - right));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.at(-1)).toBe((await getJson<EventPage>(`${base}?limit=1`)).lastSeq);

    const worker = seeded.workers[0]?.id as string;
    const byAgent = await getJson<EventPage>(`${base}?agent=${worker}`);
    expect(byAgent.events.length).toBeGreaterThan(0);
    expect(byAgent.events.every((event) => event.agentId === worker)).toBe(true);
    expect(byAgent.events.length).toBe(all.filter((event) => event.agentId === worker).length);

    const taskId = seeded.tasks[1]?.id as string;
    const byTaskAndType = await getJson<EventPage>(`${base}?task=${taskId}&types=agent.*`);
    expect(byTaskAndType.events.map((event) => event.type).sort()).toEqual([
      'agent.model-call-ended',
      'agent.registered',
      'agent.tool-call-started',
      'agent.updated',
    ]);

    const newest = await getJson<EventPage>(
      `${base}?beforeSeq=${Number.MAX_SAFE_INTEGER}&limit=5&types=task.created`,
    );
    expect(newest.events.map((event) => event.seq)).toEqual(
      all
        .filter((event) => event.type === 'task.created')
        .slice(-5)
        .map((event) => event.seq),
    );
    expect(newest.nextBeforeSeq).toBe(newest.events[0]?.seq);
  });

  it('reports usage per role and per agent', async () => {
    const usage = await getJson<UsageReport>(`/api/runs/${seeded.runId}/usage`);
    expect(usage.byRole.worker).toMatchObject({ agents: 2, inputTokens: 200, costUsd: 0.02 });
    expect(usage.byRole.planner).toMatchObject({ agents: 1, inputTokens: 0 });
    expect(usage.byAgent[0]?.role).toBe('worker');
  });

  it('lists landings', async () => {
    const landings = await getJson<{ items: { taskId: string; commit: string }[] }>(
      `/api/runs/${seeded.runId}/landings`,
    );
    expect(landings.items).toEqual([
      expect.objectContaining({ taskId: seeded.tasks[0]?.id, commit: 'abcdef1234567' }),
    ]);
  });
});

describe('dashboard API: merge queue', () => {
  it('summarises the queue in the overview once the run has a check run', async () => {
    const { board, runId } = seeded;
    const lease = await board.acquireQueueLease({ runId, owner: 'queue', ttlMs: 600_000 });
    const tip = 'abcdef1234567';
    const run = await board.recordCheckRun({
      runId,
      queueFence: lease!.fence,
      commit: tip,
      base: tip,
      entryIds: [],
      result: 'passed',
      flaky: false,
      durationMs: 10,
      output: '',
    });
    await board.appendEvent({
      runId,
      type: 'queue.pushed',
      payload: { commit: tip, previousTip: '1234567', entries: [], checkRunId: run.id },
    });
    const overview = await getJson<RunOverview>(`/api/runs/${runId}/overview`);
    expect(overview.queue).toMatchObject({
      depth: 0,
      landed: 0,
      checkRuns: { total: 1, passed: 1, failed: 0, timedOut: 0, flaky: 0 },
      lastPush: { commit: tip, greenCheckRunId: run.id },
      redTip: null,
      pushedWithoutGreenRun: 0,
    });
  });
});

describe('dashboard API: validation', () => {
  it('refuses bad query values with every problem named', async () => {
    const response = await get(`/api/runs/${seeded.runId}/events?limit=0&afterSeq=-1`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; issues: string[] } };
    expect(body.error.type).toBe('invalid-input');
    expect(body.error.issues.join(' ')).toMatch(/limit/);
    expect(body.error.issues.join(' ')).toMatch(/afterSeq/);
  });

  it('refuses unknown query keys, malformed ids and both cursors at once', async () => {
    expect((await get(`/api/runs/${seeded.runId}/tasks?color=red`)).status).toBe(400);
    expect((await get(`/api/runs/${seeded.runId}/events?agent=bob`)).status).toBe(400);
    expect((await get(`/api/runs/${seeded.runId}/events?afterSeq=1&beforeSeq=5`)).status).toBe(400);
    expect((await get('/api/runs/not-a-run/overview')).status).toBe(400);
  });

  it('answers an unknown run with a 404', async () => {
    const response = await get('/api/runs/run_zzzzzzzzzz/overview');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'not-found' } });
  });
});
