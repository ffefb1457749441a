import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardEvent } from '../../protocol/index.ts';
import {
  ConnectionLostError,
  InvalidInputError,
  MissingBoardError,
  NotABoardError,
  OutcomeUnknownError,
  SchemaTooNewError,
} from '../errors.ts';
import { currentSchemaVersion } from '../schema.ts';
import type { TaskBoard } from '../task-board.ts';
import { describeBoardConformance } from '../testing/board-conformance.ts';
import { runExactlyOnceScenario } from '../testing/exactly-once-scenario.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../testing/postgres-cluster.ts';
import { openPostgresBoard } from './open-postgres-board.ts';

// one server for the file, a fresh database per test; without Debian's postgresql package this
// fails (never skips) with a message saying to install it
let cluster: ThrowawayCluster;
beforeAll(async () => {
  cluster = await startThrowawayCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** Collects followed events in the background until the returned stop is called. */
function follow(board: TaskBoard) {
  const controller = new AbortController();
  const events: BoardEvent[] = [];
  const done = (async () => {
    for await (const event of board.followEvents({ signal: controller.signal })) events.push(event);
  })();
  const waitFor = async (predicate: (seen: BoardEvent[]) => boolean) => {
    while (!predicate(events)) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  const stop = () => {
    controller.abort();
    return done;
  };
  return { events, waitFor, stop };
}

// the suite steps time by hand through the injected clock, so leases follow it here; the
// database clock that PostgreSQL boards use by default is tested in database-lease-clock.test.ts
describeBoardConformance({
  name: 'postgres',
  open: async (options) =>
    openPostgresBoard({ ...options, leaseClock: 'process', url: await cluster.createDatabase() }),
});

describe('PostgreSQL board', () => {
  it('completes 5,000 tasks exactly once across 4 processes through a SIGKILL and a stalled worker', async () => {
    const url = await cluster.createDatabase();
    const board = await openPostgresBoard({ url });
    try {
      await runExactlyOnceScenario({ board, location: url });
    } finally {
      await board.close();
    }
  }, 60_000);

  it('wakes a follower through LISTEN/NOTIFY when another connection appends', async () => {
    const url = await cluster.createDatabase();
    const [reader, writer] = await Promise.all([
      openPostgresBoard({ url, followFallbackMs: 600_000 }),
      openPostgresBoard({ url, followFallbackMs: 600_000 }),
    ]);
    const follower = follow(reader);
    try {
      const run = await writer.createRun({ goal: 'notify me' });
      await writer.appendEvent({
        runId: run.id,
        type: 'judge.stray-cancelled',
        payload: { reason: 'hello' },
      });
      await follower.waitFor((events) => events.some((event) => event.type === 'judge.stray-cancelled'));
      expect(follower.events.map((event) => event.type)).toEqual(['run.created', 'judge.stray-cancelled']);
    } finally {
      await follower.stop();
      await Promise.all([reader.close(), writer.close()]);
    }
  });

  it('lets a follower see every event once, in seq order, while many connections append at once', async () => {
    const url = await cluster.createDatabase();
    const boards = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresBoard({ url, poolSize: 8 })),
    );
    const follower = follow(boards[0]!);
    try {
      const run = await boards[0]!.createRun({ goal: 'commit order' });
      await Promise.all(
        boards.flatMap((board, writer) =>
          Array.from({ length: 100 }, (_, index) =>
            board.appendEvent({
              runId: run.id,
              type: 'coordination.work-done',
              payload: { agent: writer, task: index, duplicate: false },
            }),
          ),
        ),
      );
      await follower.waitFor((events) => events.length === 401);
      const stored = await boards[0]!.readEvents({ runId: run.id, limit: 1000 });
      expect(stored).toHaveLength(401);
      expect(follower.events.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
    } finally {
      await follower.stop();
      await Promise.all(boards.map((board) => board.close()));
    }
  });

  it('survives a server restart: calls succeed again and following resumes', async () => {
    const url = await cluster.createDatabase();
    const board = await openPostgresBoard({ url, followFallbackMs: 600_000 });
    const follower = follow(board);
    try {
      const run = await board.createRun({ goal: 'outlive a restart' });
      await board.createTasks([{ runId: run.id, kind: 'work', title: 'before' }]);
      await follower.waitFor((events) => events.length === 2);
      // writes racing the restart either take effect or say their outcome is unknown; none is lost silently
      const racing = Array.from({ length: 20 }, (_, index) =>
        board.appendEvent({
          runId: run.id,
          type: 'judge.stray-cancelled',
          payload: { reason: `racing ${index}` },
        }),
      );
      const settling = Promise.allSettled(racing);
      await cluster.restart();
      const settled = await settling;
      for (const outcome of settled) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(OutcomeUnknownError);
      }
      const [task] = await board.createTasks([{ runId: run.id, kind: 'work', title: 'after' }]);
      const lease = await board.claim({ owner: 'survivor', ttlMs: 60_000, filter: { runId: run.id } });
      expect(lease).not.toBeNull();
      await board.complete({ taskId: lease!.taskId, fence: lease!.fence });
      await follower.waitFor((events) => events.some((event) => event.type === 'task.completed'));
      const stored = await board.readEvents({ runId: run.id, limit: 1000 });
      // the follower saw every event exactly once, in order, across the restart
      expect(follower.events.map((event) => event.seq)).toEqual(stored.map((event) => event.seq));
      expect(stored.some((event) => event.taskId === task!.id)).toBe(true);
    } finally {
      await follower.stop();
      await board.close();
    }
  });

  it('gives the queue lease of a run to one of many connections, and concurrent submissions distinct positions', async () => {
    const url = await cluster.createDatabase();
    const boards = await Promise.all(Array.from({ length: 4 }, () => openPostgresBoard({ url })));
    try {
      const run = await boards[0]!.createRun({ goal: 'one queue' });
      const titles = Array.from({ length: 8 }, (_, index) => `change ${index}`);
      await boards[0]!.createTasks(titles.map((title) => ({ runId: run.id, kind: 'work' as const, title })));
      const leases = await Promise.all(
        titles.map(() => boards[0]!.claim({ owner: 'worker', ttlMs: 60_000 })),
      );
      const entries = await Promise.all(
        leases.map((lease, index) =>
          boards[index % boards.length]!.submitToQueue({
            taskId: lease!.taskId,
            fence: lease!.fence,
            commit: 'abc1234',
            base: 'def5678',
            ref: `refs/cadre/queue/${lease!.taskId}/1`,
            files: [],
          }),
        ),
      );
      const positions = entries.map((entry) => entry.position).sort((a, b) => a - b);
      expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const granted = await Promise.all(
        boards.map((board, index) =>
          board.acquireQueueLease({ runId: run.id, owner: `runner-${index}`, ttlMs: 60_000 }),
        ),
      );
      expect(granted.filter((lease) => lease !== null)).toEqual([expect.objectContaining({ fence: 1 })]);
    } finally {
      await Promise.all(boards.map((board) => board.close()));
    }
  });

  it('creates the schema once when several processes open a new database at once', async () => {
    const url = await cluster.createDatabase();
    const boards = await Promise.all(Array.from({ length: 4 }, () => openPostgresBoard({ url })));
    await boards[0]!.createRun({ goal: 'one schema' });
    expect(await boards[3]!.listRuns()).toHaveLength(1);
    await Promise.all(boards.map((board) => board.close()));
    expect(await sql(url, "select value from cadre_meta where key = 'schema_version'")).toEqual([
      { value: String(currentSchemaVersion) },
    ]);
  });

  it('upgrades a version 2 board to 3: cycles gain a null base commit, old events and verdicts still read', async () => {
    const url = await cluster.createDatabase();
    const board = await openPostgresBoard({ url });
    const run = await board.createRun({ goal: 'written before base commits were columns' });
    const cycle = await board.createCycle({ runId: run.id });
    await board.close();
    // what version 2 left: no base_commit column, the base in a `cycle.base` event, odd old data
    await sql(
      url,
      "alter table cycles drop column base_commit; drop table queue_entries, check_runs, queue_leases; update cadre_meta set value = '2' where key = 'schema_version'",
    );
    await sql(
      url,
      `insert into events (run_id, at, type, payload) values
        ('${run.id}', 1, 'cycle.base', '{"cycleId":"${cycle.id}","commit":"abc1234"}'),
        ('${run.id}', 2, 'tool.retired-event', '{"anything":[1,2]}');
       update cycles set verdict = '{"continue":"maybe"}' where id = '${cycle.id}'`,
    );

    const upgraded = await openPostgresBoard({ url });
    try {
      expect(await upgraded.listCycles(run.id)).toMatchObject([
        { id: cycle.id, baseCommit: null, verdict: null },
      ]);
      const events = await upgraded.readEvents({
        runId: run.id,
        types: ['cycle.base', 'tool.retired-event'],
      });
      expect(events.map((event) => (event.type === 'unknown' ? event.storedType : event.type))).toEqual([
        'cycle.base',
        'tool.retired-event',
      ]);
      expect(events[1]).toMatchObject({ type: 'unknown', payload: { anything: [1, 2] } });
      expect((await upgraded.createCycle({ runId: run.id, baseCommit: 'def5678' })).baseCommit).toBe(
        'def5678',
      );
    } finally {
      await upgraded.close();
    }
    expect(await sql(url, "select value from cadre_meta where key = 'schema_version'")).toEqual([
      { value: String(currentSchemaVersion) },
    ]);
  });

  it('refuses a database that is not a board, or has a newer schema, and writes nothing', async () => {
    const foreign = await cluster.createDatabase();
    await sql(foreign, 'create table invoices (id int)');
    await expect(openPostgresBoard({ url: foreign })).rejects.toBeInstanceOf(NotABoardError);
    expect(
      await sql(foreign, "select table_name from information_schema.tables where table_schema = 'public'"),
    ).toEqual([{ table_name: 'invoices' }]);

    const otherFormat = await cluster.createDatabase();
    await sql(
      otherFormat,
      "create table cadre_meta (key text, value text); insert into cadre_meta values ('format', 'x')",
    );
    await expect(openPostgresBoard({ url: otherFormat })).rejects.toThrow(/cadre_meta format is "x"/);

    const newer = await cluster.createDatabase();
    await (await openPostgresBoard({ url: newer })).close();
    await sql(newer, "update cadre_meta set value = '99' where key = 'schema_version'");
    await expect(openPostgresBoard({ url: newer })).rejects.toBeInstanceOf(SchemaTooNewError);
    expect(await sql(newer, "select value from cadre_meta where key = 'schema_version'")).toEqual([
      { value: '99' },
    ]);

    const empty = await cluster.createDatabase();
    await expect(openPostgresBoard({ url: empty, create: false })).rejects.toBeInstanceOf(MissingBoardError);
    expect(
      await sql(empty, "select table_name from information_schema.tables where table_schema = 'public'"),
    ).toEqual([]);
  });

  it('reports bad connection strings, missing databases and unreachable servers with typed errors', async () => {
    await expect(openPostgresBoard({ url: 'not a url' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(openPostgresBoard({ url: 'mysql://localhost/board' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    const missing = cluster.url.replace(/\/postgres$/, '/no_such_database');
    await expect(openPostgresBoard({ url: missing })).rejects.toBeInstanceOf(MissingBoardError);
    const closedPort = 'postgres://postgres@127.0.0.1:1/board';
    await expect(openPostgresBoard({ url: closedPort, retry: { retryForMs: 200 } })).rejects.toBeInstanceOf(
      ConnectionLostError,
    );
  });

  it('keeps the password out of its location', async () => {
    const url = (await cluster.createDatabase()).replace('postgres@', 'postgres:hunter2@');
    const board = await openPostgresBoard({ url });
    expect(board.location).not.toContain('hunter2');
    expect(board.location).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/board_\d+$/);
    await board.close();
  });
});
