import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSequentialIdGenerator } from '../../protocol/index.ts';
import { InvalidInputError, NotFoundError, StaleFenceError } from '../errors.ts';
import type { TaskBoard } from '../task-board.ts';
import type { BoardFactory } from './board-factory.ts';

const tip = 'ffff0000';
const landed = { type: 'landed', commit: 'abc1234', checkRunId: 'cr_1' } as const;

/** The merge queue's entries, lease and check runs: part of every board's conformance suite. */
export function describeQueueConformance(factory: BoardFactory) {
  describe(`TaskBoard conformance: ${factory.name}`, () => {
    describe('merge queue', () => {
      let now = 1_000_000;
      let board: TaskBoard;
      beforeEach(async () => {
        now = 1_000_000;
        board = await factory.open({ clock: () => now, ids: createSequentialIdGenerator() });
      });
      afterEach(async () => {
        await board.close();
      });

      /** A run with `count` leased work tasks. */
      async function seed(count: number) {
        const run = await board.createRun({ goal: 'queue it' });
        const leases = [];
        for (let index = 0; index < count; index++) {
          await board.createTasks([{ runId: run.id, kind: 'work', title: `change ${index}` }]);
          leases.push((await board.claim({ owner: 'worker', ttlMs: 600_000 }))!);
        }
        return { runId: run.id, leases };
      }

      const submit = (lease: { taskId: string; fence: number }, commit: string) =>
        board.submitToQueue({
          taskId: lease.taskId,
          fence: lease.fence,
          agentId: 'worker',
          commit,
          base: tip,
          ref: `refs/cadre/queue/${lease.taskId}/${lease.fence}`,
          files: ['src/a.ts'],
        });

      const eventsOf = async (runId: string) =>
        (await board.readEvents({ runId })).filter((event) => event.type.startsWith('queue.'));

      it('keeps entries in submission order and pages them by position', async () => {
        const { runId, leases } = await seed(3);
        const entries = [];
        for (const [index, lease] of leases.entries()) entries.push(await submit(lease, `aaaa000${index}`));
        const positions = entries.map((entry) => entry.position);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(new Set(positions).size).toBe(3);
        expect(entries[0]).toMatchObject({
          runId,
          taskId: leases[0]!.taskId,
          fence: leases[0]!.fence,
          agentId: 'worker',
          commit: 'aaaa0000',
          base: tip,
          files: ['src/a.ts'],
          status: 'queued',
          outcome: null,
          submittedAt: now,
          settledAt: null,
        });
        expect(await board.listQueueEntries({ runId, status: 'queued' })).toEqual(entries);
        const page = await board.listQueueEntries({ runId, afterPosition: positions[0], limit: 1 });
        expect(page.map((entry) => entry.id)).toEqual([entries[1]!.id]);
        expect(await board.getQueueEntry(entries[2]!.id)).toEqual(entries[2]);
        await expect(board.getQueueEntry('qe_missing')).rejects.toBeInstanceOf(NotFoundError);
        const submitted = (await eventsOf(runId)).filter((event) => event.type === 'queue.submitted');
        expect(submitted.map((event) => event.taskId)).toEqual(leases.map((lease) => lease.taskId));
      });

      it('withdraws a task’s queued entry when it submits again, in the same write', async () => {
        const { runId, leases } = await seed(1);
        const first = await submit(leases[0]!, 'aaaa0001');
        now += 10;
        const second = await submit(leases[0]!, 'aaaa0002');
        expect(second.position).toBeGreaterThan(first.position);
        expect(await board.getQueueEntry(first.id)).toMatchObject({
          status: 'settled',
          outcome: { type: 'withdrawn', reason: 'resubmitted' },
          settledAt: now,
        });
        expect((await board.listQueueEntries({ runId, status: 'queued' })).map((entry) => entry.id)).toEqual([
          second.id,
        ]);
        expect((await eventsOf(runId)).map((event) => event.type)).toEqual([
          'queue.submitted',
          'queue.settled',
          'queue.submitted',
        ]);
      });

      it('refuses a submission under a stale task fence and writes nothing', async () => {
        const { runId, leases } = await seed(1);
        const lease = leases[0]!;
        await expect(submit({ ...lease, fence: lease.fence + 1 }, 'aaaa0001')).rejects.toBeInstanceOf(
          StaleFenceError,
        );
        await board.complete({ taskId: lease.taskId, fence: lease.fence });
        await expect(submit(lease, 'aaaa0001')).rejects.toBeInstanceOf(StaleFenceError);
        await expect(
          board.submitToQueue({
            taskId: lease.taskId,
            fence: 1,
            commit: 'nothex',
            base: tip,
            ref: 'r',
            files: [],
          }),
        ).rejects.toBeInstanceOf(InvalidInputError);
        expect(await board.listQueueEntries({ runId })).toEqual([]);
        expect(await eventsOf(runId)).toEqual([]);
      });

      it('grants the queue lease to one owner, renews it, and hands it on with fence + 1 when it expires', async () => {
        const { runId, leases } = await seed(1);
        const entry = await submit(leases[0]!, 'aaaa0001');
        const first = await board.acquireQueueLease({ runId, owner: 'runner-a', ttlMs: 1000 });
        expect(first).toEqual({ runId, owner: 'runner-a', fence: 1, expiresAt: now + 1000 });
        expect(await board.acquireQueueLease({ runId, owner: 'runner-b', ttlMs: 1000 })).toBeNull();
        now += 500;
        const again = await board.acquireQueueLease({ runId, owner: 'runner-a', ttlMs: 1000 });
        expect(again).toEqual({ runId, owner: 'runner-a', fence: 1, expiresAt: now + 1000 });
        now += 500;
        expect((await board.renewQueueLease({ runId, fence: 1, ttlMs: 1000 })).expiresAt).toBe(now + 1000);
        now += 1001;
        await expect(board.renewQueueLease({ runId, fence: 1, ttlMs: 1000 })).rejects.toBeInstanceOf(
          StaleFenceError,
        );
        const taken = await board.acquireQueueLease({ runId, owner: 'runner-b', ttlMs: 1000 });
        expect(taken).toMatchObject({ owner: 'runner-b', fence: 2 });
        // the old holder can neither settle nor record, nor release the new holder's lease
        await expect(
          board.settleQueueEntry({ entryId: entry.id, queueFence: 1, outcome: landed }),
        ).rejects.toMatchObject({ type: 'stale-fence', currentFence: 2 });
        await expect(
          board.recordCheckRun({
            runId,
            queueFence: 1,
            commit: tip,
            base: tip,
            entryIds: [],
            result: 'passed',
            flaky: false,
            durationMs: 5,
            output: '',
          }),
        ).rejects.toBeInstanceOf(StaleFenceError);
        await board.releaseQueueLease({ runId, fence: 1 });
        expect(await board.acquireQueueLease({ runId, owner: 'runner-a', ttlMs: 1000 })).toBeNull();
        await board.releaseQueueLease({ runId, fence: 2 });
        const back = await board.acquireQueueLease({ runId, owner: 'runner-a', ttlMs: 1000 });
        expect(back).toMatchObject({ owner: 'runner-a', fence: 3 });
        expect((await board.getQueueEntry(entry.id)).status).toBe('queued');
        const holders = (await eventsOf(runId)).flatMap((event) =>
          event.type === 'queue.lease' ? [[event.payload.owner, event.payload.fence]] : [],
        );
        expect(holders).toEqual([
          ['runner-a', 1],
          ['runner-b', 2],
          ['runner-a', 3],
        ]);
      });

      it('settles a queued entry once; settling it again returns it unchanged', async () => {
        const { runId, leases } = await seed(1);
        const entry = await submit(leases[0]!, 'aaaa0001');
        const lease = (await board.acquireQueueLease({ runId, owner: 'runner', ttlMs: 60_000 }))!;
        now += 20;
        const settled = await board.settleQueueEntry({
          entryId: entry.id,
          queueFence: lease.fence,
          outcome: landed,
        });
        expect(settled).toMatchObject({ status: 'settled', outcome: landed, settledAt: now });
        now += 20;
        const again = await board.settleQueueEntry({
          entryId: entry.id,
          queueFence: lease.fence,
          outcome: { type: 'conflict', tip, files: ['src/a.ts'] },
        });
        expect(again).toEqual(settled);
        expect((await eventsOf(runId)).filter((event) => event.type === 'queue.settled')).toHaveLength(1);
        await expect(
          board.settleQueueEntry({ entryId: 'qe_missing', queueFence: lease.fence, outcome: landed }),
        ).rejects.toBeInstanceOf(NotFoundError);
      });

      it('records a check run with its fix task in one write, and nothing when the write is refused', async () => {
        const { runId } = await seed(0);
        const lease = (await board.acquireQueueLease({ runId, owner: 'runner', ttlMs: 60_000 }))!;
        const check = {
          runId,
          commit: tip,
          base: tip,
          entryIds: ['qe_1'],
          result: 'failed' as const,
          flaky: false,
          durationMs: 1500,
          output: 'FAIL src/a.test.ts',
        };
        const fixTask = { runId, kind: 'work' as const, title: 'fix the red tip', priority: 100 };
        // refused: a stale fence, or a fix task that cannot be created — no task, no check run
        await expect(
          board.recordCheckRun({ ...check, queueFence: lease.fence + 1, fixTask }),
        ).rejects.toBeInstanceOf(StaleFenceError);
        await expect(
          board.recordCheckRun({
            ...check,
            queueFence: lease.fence,
            fixTask: { ...fixTask, parentId: 'task_zzzzzzzz' },
          }),
        ).rejects.toBeInstanceOf(NotFoundError);
        expect(await board.listTasks({ runId })).toEqual([]);
        expect(await board.listCheckRuns({ runId })).toEqual([]);

        const recorded = await board.recordCheckRun({ ...check, queueFence: lease.fence, fixTask });
        const tasks = await board.listTasks({ runId });
        expect(tasks.map((task) => [task.title, task.priority])).toEqual([['fix the red tip', 100]]);
        expect(recorded).toEqual({ ...check, id: recorded.id, fixTaskId: tasks[0]!.id, at: now });
        expect(await board.getCheckRun(recorded.id)).toEqual(recorded);
        await expect(board.getCheckRun('cr_missing')).rejects.toBeInstanceOf(NotFoundError);
        const types = (await board.readEvents({ runId })).map((event) => event.type);
        expect(types.slice(-2)).toEqual(['task.created', 'queue.check-run']);
      });

      it('lists check runs newest first, by commit when asked', async () => {
        const { runId } = await seed(0);
        const lease = (await board.acquireQueueLease({ runId, owner: 'runner', ttlMs: 60_000 }))!;
        const record = (commit: string, result: 'passed' | 'failed' | 'timed-out') => {
          now += 100;
          return board.recordCheckRun({
            runId,
            queueFence: lease.fence,
            commit,
            base: tip,
            entryIds: [],
            result,
            flaky: result === 'timed-out',
            durationMs: 10,
            output: result,
          });
        };
        const first = await record('bbbb0001', 'failed');
        const second = await record('bbbb0002', 'passed');
        const third = await record('bbbb0001', 'timed-out');
        const ids = (runs: { id: string }[]) => runs.map((run) => run.id);
        expect(ids(await board.listCheckRuns({ runId }))).toEqual([third.id, second.id, first.id]);
        expect(ids(await board.listCheckRuns({ runId, commit: 'bbbb0001' }))).toEqual([third.id, first.id]);
        expect(ids(await board.listCheckRuns({ runId, commit: 'bbbb0001', limit: 1 }))).toEqual([third.id]);
        expect(third).toMatchObject({ result: 'timed-out', flaky: true });
      });
    });
  });
}
