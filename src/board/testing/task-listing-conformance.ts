import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSequentialIdGenerator, type NewTaskInput, type Task } from '../../protocol/index.ts';
import { InvalidInputError } from '../errors.ts';
import type { TaskBoard } from '../task-board.ts';
import type { BoardFactory } from './board-factory.ts';

const titles = (tasks: readonly Task[]) => tasks.map((task) => task.title);

/** Task listing and counting by filter, and the log's head: part of every board's conformance suite. */
export function describeTaskListingConformance(factory: BoardFactory) {
  describe(`TaskBoard listing conformance: ${factory.name}`, () => {
    let board: TaskBoard;
    beforeEach(async () => {
      board = await factory.open({ clock: () => 1_000_000, ids: createSequentialIdGenerator() });
    });
    afterEach(async () => {
      await board.close();
    });

    /** Two cycles: the first with a planner's area, the second with work spread over directories. */
    async function seed() {
      const run = await board.createRun({ goal: 'list me' });
      const first = await board.createCycle({ runId: run.id });
      const second = await board.createCycle({ runId: run.id });
      const task = (cycleId: string, title: string, extra: Partial<NewTaskInput> = {}): NewTaskInput => ({
        runId: run.id,
        cycleId,
        kind: 'work',
        title,
        ...extra,
      });
      const [plan] = await board.createTasks([
        task(first.id, 'plan src', { kind: 'plan', scope: ['src/**'] }),
      ]);
      await board.createTasks([
        task(first.id, 'old api', { parentId: plan!.id, scope: ['src/api/old.ts'] }),
        task(first.id, 'old ui', { parentId: plan!.id, scope: ['src/ui/**'] }),
      ]);
      await board.createTasks([
        task(second.id, 'api', { scope: ['src/api/**'], priority: 5 }),
        task(second.id, 'apiary', { scope: ['src/apiary/hive.ts'] }),
        task(second.id, 'docs', { scope: ['docs/guide.md'] }),
        task(second.id, 'plan again', { kind: 'plan', scope: ['src/**'] }),
      ]);
      // the most urgent open task is `api`: leasing it gives the second cycle one leased task
      await board.claim({ owner: 'worker-1', ttlMs: 60_000, filter: { kinds: ['work'] } });
      return { run, first, second, plan: plan! };
    }

    it('lists by cycle, status, kind, parent and scope directory, in pages after an id', async () => {
      const { run, second, plan } = await seed();
      const cycle = { runId: run.id, cycleId: second.id };
      expect(titles(await board.listTasks(cycle))).toEqual(['api', 'apiary', 'docs', 'plan again']);
      // a directory, not a string prefix: src/api does not take in src/apiary
      expect(titles(await board.listTasks({ ...cycle, scopePrefix: 'src/api' }))).toEqual(['api']);
      expect(titles(await board.listTasks({ ...cycle, scopePrefix: './src/' }))).toEqual([
        'api',
        'apiary',
        'plan again',
      ]);
      expect(titles(await board.listTasks({ ...cycle, scopePrefix: '.' }))).toHaveLength(4);
      expect(titles(await board.listTasks({ ...cycle, status: 'leased' }))).toEqual(['api']);
      expect(titles(await board.listTasks({ ...cycle, kind: 'plan' }))).toEqual(['plan again']);
      expect(titles(await board.listTasks({ runId: run.id, parentId: plan.id }))).toEqual([
        'old api',
        'old ui',
      ]);
      const page = await board.listTasks({ ...cycle, status: 'open', limit: 2 });
      expect(titles(page)).toEqual(['apiary', 'docs']);
      const rest = await board.listTasks({ ...cycle, status: 'open', limit: 2, afterId: page.at(-1)?.id });
      expect(titles(rest)).toEqual(['plan again']);
    });

    it('counts by status with the same filters as the listing, or a whole run from its id', async () => {
      const { run, first, second } = await seed();
      const none = { open: 0, leased: 0, done: 0, failed: 0, cancelled: 0 };
      expect(await board.countTasks({ runId: run.id, cycleId: second.id })).toEqual({
        ...none,
        open: 3,
        leased: 1,
      });
      expect(await board.countTasks({ runId: run.id, cycleId: second.id, scopePrefix: 'src' })).toEqual({
        ...none,
        open: 2,
        leased: 1,
      });
      expect(await board.countTasks({ runId: run.id, cycleId: first.id, kind: 'work' })).toEqual({
        ...none,
        open: 2,
      });
      expect(await board.countTasks({ runId: run.id, status: 'leased' })).toEqual({ ...none, leased: 1 });
      expect(await board.countTasks(run.id)).toEqual({ ...none, open: 6, leased: 1 });
    });

    it('refuses malformed filters with typed errors', async () => {
      const { run } = await seed();
      await expect(board.listTasks({ runId: run.id, cycleId: 'not a cycle' })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(board.countTasks({ runId: run.id, scopePrefix: 'x'.repeat(401) })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    });

    it('reports the newest event of a run or of the board, 0 before any', async () => {
      expect(await board.lastEventSeq({})).toBe(0);
      const one = await board.createRun({ goal: 'one' });
      const other = await board.createRun({ goal: 'other' });
      await board.appendEvent({ runId: one.id, type: 'judge.stray-cancelled', payload: { reason: 'later' } });
      const oneEvents = await board.readEvents({ runId: one.id });
      const otherEvents = await board.readEvents({ runId: other.id });
      expect(await board.lastEventSeq({ runId: one.id })).toBe(oneEvents.at(-1)?.seq);
      expect(await board.lastEventSeq({ runId: other.id })).toBe(otherEvents.at(-1)?.seq);
      expect(await board.lastEventSeq({})).toBe(oneEvents.at(-1)?.seq);
    });
  });
}
