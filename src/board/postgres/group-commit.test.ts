import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayCluster, type ThrowawayCluster } from '../testing/postgres-cluster.ts';
import { openPostgresBoard } from './open-postgres-board.ts';

// group commit on PostgreSQL, observed through the transaction ids (xmin) of the events it wrote
let cluster: ThrowawayCluster;
beforeAll(async () => {
  cluster = await startThrowawayCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

/** How many distinct transactions wrote the events matching `where`. */
async function transactionsOf(url: string, where: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select count(distinct xmin::text)::int as n from events where ${where}`,
    );
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

function work(runId: string, title: string) {
  return { runId, kind: 'work' as const, title };
}

describe('PostgreSQL group commit', () => {
  it('commits the writes one process asks for at once in one transaction; a stale fence does not split it', async () => {
    const url = await cluster.createDatabase();
    const board = await openPostgresBoard({ url });
    try {
      const run = await board.createRun({ goal: 'group commit' });
      await board.createTasks(Array.from({ length: 8 }, (_, index) => work(run.id, `t${index}`)));
      const first = await board.claim({ owner: 'first', ttlMs: 60_000 });
      const results = await Promise.allSettled([
        ...Array.from({ length: 6 }, (_, index) => board.claim({ owner: `w${index}`, ttlMs: 60_000 })),
        // fails having changed nothing (its fenced UPDATE matches no row): the batch still commits
        board.complete({ taskId: first!.taskId, fence: first!.fence + 1 }),
      ]);
      expect(results.map((result) => result.status)).toEqual([...Array(6).fill('fulfilled'), 'rejected']);
      expect(await transactionsOf(url, "type = 'task.claimed' and payload not like '%first%'")).toBe(1);
    } finally {
      await board.close();
    }
  });

  it('runs a batch in order, still in one transaction, when pipelining it would not match that order', async () => {
    const url = await cluster.createDatabase();
    const board = await openPostgresBoard({ url });
    try {
      const run = await board.createRun({ goal: 'reorder a batch' });
      await board.createTasks([work(run.id, 'early')]);
      // a two-task batch sends several statements besides its events: no pipelining with it
      const [claimed, created, again] = await Promise.all([
        board.claim({ owner: 'a', ttlMs: 60_000 }),
        board.createTasks([work(run.id, 'late x'), work(run.id, 'late y')]),
        board.claim({ owner: 'b', ttlMs: 60_000 }),
      ]);
      expect(claimed?.taskId).not.toBe(again?.taskId);
      expect(created).toHaveLength(2);
      expect(await transactionsOf(url, "type = 'task.claimed' or payload like '%late %'")).toBe(1);
    } finally {
      await board.close();
    }
  });

  it('rolls a batch back when a write fails after writing, and reruns each write alone', async () => {
    const url = await cluster.createDatabase();
    const board = await openPostgresBoard({ url });
    try {
      const run = await board.createRun({ goal: 'split a batch' });
      await board.createTasks(Array.from({ length: 4 }, (_, index) => work(run.id, `t${index}`)));
      const results = await Promise.allSettled([
        board.claim({ owner: 'a', ttlMs: 60_000 }),
        board.createTasks([
          work(run.id, 'half written'),
          { ...work(run.id, 'orphan'), parentId: 'task_zzzzzzzz' },
        ]),
        board.claim({ owner: 'b', ttlMs: 60_000 }),
        board.appendEvent({ runId: run.id, type: 'judge.stray-cancelled', payload: { reason: 'note' } }),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      // three transactions of their own: the batch was rolled back, not committed without the failure
      expect(await transactionsOf(url, "type in ('task.claimed', 'judge.stray-cancelled')")).toBe(3);
      const titles = (await board.listTasks({ runId: run.id })).map((task) => task.title);
      expect(titles).not.toContain('half written');
      expect(await transactionsOf(url, "payload like '%half written%'")).toBe(0);
    } finally {
      await board.close();
    }
  });
});
