import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSequentialIdGenerator, type NewEventInput, type NewTaskInput } from '../../protocol/index.ts';
import { InvalidInputError, NotFoundError, StaleFenceError, VersionConflictError } from '../errors.ts';
import type { TaskBoard } from '../task-board.ts';
import type { BoardFactory } from './board-factory.ts';
import { describeQueueConformance } from './queue-conformance.ts';
import { describeTaskListingConformance } from './task-listing-conformance.ts';

/**
 * The behaviour every TaskBoard must have, written against the interface only so that each
 * backend (SQLite now, PostgreSQL later) runs the same suite unchanged.
 */
export function describeBoardConformance(factory: BoardFactory) {
  describeTaskListingConformance(factory);
  describeQueueConformance(factory);
  describe(`TaskBoard conformance: ${factory.name}`, () => {
    let now = 1_000_000;
    let board: TaskBoard;
    const clock = () => now;

    beforeEach(async () => {
      now = 1_000_000;
      board = await factory.open({
        clock,
        ids: createSequentialIdGenerator(),
        maxAttempts: 3,
        followFallbackMs: 60_000,
      });
    });
    afterEach(async () => {
      await board.close();
    });

    const newRun = () => board.createRun({ goal: 'build a thing', config: { workers: 2 } });
    const work = (runId: string, title: string, extra: Partial<NewTaskInput> = {}): NewTaskInput => ({
      runId,
      kind: 'work',
      title,
      ...extra,
    });
    const eventTypes = async (runId: string) =>
      (await board.readEvents({ runId })).map((event) => event.type);

    describe('runs and cycles', () => {
      it('creates, reads, lists and logs runs', async () => {
        const run = await newRun();
        expect(run).toMatchObject({
          goal: 'build a thing',
          config: { workers: 2 },
          status: 'running',
          version: 1,
        });
        expect(await board.getRun(run.id)).toEqual(run);
        expect((await board.listRuns()).map((listed) => listed.id)).toEqual([run.id]);
        expect(await eventTypes(run.id)).toEqual(['run.created']);
      });

      it('rejects unknown and malformed run ids with typed errors', async () => {
        await expect(board.getRun('run_zzzzzzzz')).rejects.toBeInstanceOf(NotFoundError);
        await expect(board.getRun('not an id')).rejects.toBeInstanceOf(InvalidInputError);
        await expect(board.createRun({ goal: '' })).rejects.toThrow(/a run needs a goal/);
      });

      it('edits a run optimistically and refuses a stale version', async () => {
        const run = await newRun();
        const paused = await board.updateRun({ runId: run.id, version: 1, patch: { status: 'paused' } });
        expect(paused).toMatchObject({ status: 'paused', version: 2 });
        const conflict = board.updateRun({ runId: run.id, version: 1, patch: { goal: 'other' } });
        await expect(conflict).rejects.toBeInstanceOf(VersionConflictError);
        expect((await board.getRun(run.id)).goal).toBe('build a thing');
        expect(await eventTypes(run.id)).toEqual(['run.created', 'run.updated']);
      });

      it('numbers cycles per run and stores verdicts', async () => {
        const run = await newRun();
        const first = await board.createCycle({ runId: run.id });
        const second = await board.createCycle({ runId: run.id });
        expect([first.n, second.n]).toEqual([1, 2]);
        now += 500;
        const judged = await board.updateCycle({
          cycleId: first.id,
          status: 'done',
          verdict: { continue: true, score: 0.5, reasons: ['half way'] },
        });
        expect(judged).toMatchObject({
          status: 'done',
          endedAt: now,
          verdict: { continue: true, score: 0.5 },
        });
        expect((await board.listCycles(run.id)).map((cycle) => cycle.n)).toEqual([1, 2]);
        await expect(board.createCycle({ runId: 'run_zzzzzzzz' })).rejects.toBeInstanceOf(NotFoundError);
      });

      it('stores the commit a cycle starts from, and types its verdict', async () => {
        const run = await newRun();
        const based = await board.createCycle({ runId: run.id, baseCommit: 'abc1234' });
        expect(based.baseCommit).toBe('abc1234');
        expect((await board.getCycle(based.id)).baseCommit).toBe('abc1234');
        const unbased = await board.createCycle({ runId: run.id });
        expect(unbased.baseCommit).toBeNull();
        expect(unbased.verdict).toBeNull();
        const judged = await board.updateCycle({
          cycleId: based.id,
          status: 'done',
          verdict: { continue: false, score: 1, reasons: ['done'] },
        });
        // the verdict is parsed (defaults filled in), so readers need no cast
        expect(judged.verdict?.next_focus).toEqual([]);
        expect((await board.listCycles(run.id)).map((cycle) => cycle.baseCommit)).toEqual(['abc1234', null]);
        await expect(
          board.updateCycle({ cycleId: unbased.id, status: 'done', verdict: { continue: 'yes' } as never }),
        ).rejects.toBeInstanceOf(InvalidInputError);
      });
    });

    describe('tasks', () => {
      it('creates a batch with defaults and lists it in pages', async () => {
        const run = await newRun();
        const created = await board.createTasks(
          Array.from({ length: 5 }, (_, index) => work(run.id, `task ${index}`, { scope: ['src/a/**'] })),
        );
        expect(created[0]).toMatchObject({
          status: 'open',
          fence: 0,
          version: 1,
          attempts: 0,
          priority: 0,
          scope: ['src/a/**'],
        });
        const firstPage = await board.listTasks({ runId: run.id, limit: 2 });
        const secondPage = await board.listTasks({ runId: run.id, limit: 10, afterId: firstPage.at(-1)?.id });
        expect([...firstPage, ...secondPage].map((task) => task.title)).toEqual(
          created.map((task) => task.title),
        );
        expect(await board.countTasks(run.id)).toEqual({
          open: 5,
          leased: 0,
          done: 0,
          failed: 0,
          cancelled: 0,
        });
      });

      it('writes nothing when any task of a batch is bad', async () => {
        const run = await newRun();
        const before = await board.readEvents({ runId: run.id });
        await expect(
          board.createTasks([work(run.id, 'fine'), work(run.id, 'orphan', { parentId: 'task_zzzzzzzz' })]),
        ).rejects.toBeInstanceOf(NotFoundError);
        await expect(board.createTasks([work(run.id, 'fine'), work(run.id, '')])).rejects.toBeInstanceOf(
          InvalidInputError,
        );
        await expect(board.createTasks([work(run.id, 'escape', { scope: ['../etc/**'] })])).rejects.toThrow(
          /\.\./,
        );
        await expect(board.createTasks([work('run_zzzzzzzz', 'lost')])).rejects.toBeInstanceOf(NotFoundError);
        expect(await board.countTasks(run.id)).toEqual({
          open: 0,
          leased: 0,
          done: 0,
          failed: 0,
          cancelled: 0,
        });
        expect(await board.readEvents({ runId: run.id })).toEqual(before);
      });

      it('refuses a dependency cycle', async () => {
        const run = await newRun();
        await expect(
          board.createTasks([
            work(run.id, 'a', { id: 'task_aaaaaaaa', dependsOn: ['task_bbbbbbbb'] }),
            work(run.id, 'b', { id: 'task_bbbbbbbb', dependsOn: ['task_aaaaaaaa'] }),
          ]),
        ).rejects.toThrow(/cycle/);
      });

      it('edits a task optimistically; a claim in between makes the edit conflict', async () => {
        const run = await newRun();
        const [task] = await board.createTasks([work(run.id, 'edit me', { scope: ['src/x/**'] })]);
        const edited = await board.updateTask({
          taskId: task!.id,
          version: 1,
          patch: { priority: 5, scope: ['lib/**'] },
        });
        expect(edited).toMatchObject({ priority: 5, scope: ['lib/**'], version: 2 });
        await board.claim({ owner: 'worker-1', ttlMs: 1000 });
        await expect(
          board.updateTask({ taskId: task!.id, version: 2, patch: { title: 'late edit' } }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect((await board.getTask(task!.id)).title).toBe('edit me');
      });

      it('cancels a subtree, leaving finished tasks alone and making live leases stale', async () => {
        const run = await newRun();
        const [root] = await board.createTasks([{ runId: run.id, kind: 'plan', title: 'area' }]);
        const [child, done] = await board.createTasks([
          work(run.id, 'child', { parentId: root!.id, priority: 2 }),
          work(run.id, 'finished', { parentId: root!.id, priority: 1 }),
        ]);
        const [grandchild] = await board.createTasks([work(run.id, 'grandchild', { parentId: child!.id })]);
        const childLease = await board.claim({ owner: 'worker-1', ttlMs: 1000, filter: { kinds: ['work'] } });
        expect(childLease?.taskId).toBe(child!.id);
        const doneLease = await board.claim({ owner: 'worker-2', ttlMs: 1000, filter: { kinds: ['work'] } });
        await board.complete({ taskId: doneLease!.taskId, fence: doneLease!.fence });
        const cancelled = await board.cancelSubtree({ taskId: root!.id, reason: 'replanned' });
        expect(new Set(cancelled)).toEqual(new Set([root!.id, child!.id, grandchild!.id]));
        expect((await board.getTask(done!.id)).status).toBe('done');
        expect((await board.getTask(child!.id)).failureReason).toBe('replanned');
        await expect(board.complete({ taskId: child!.id, fence: childLease!.fence })).rejects.toBeInstanceOf(
          StaleFenceError,
        );
      });
    });

    describe('claims and leases', () => {
      it('claims the most urgent task first, oldest first among equals, and nothing when none is left', async () => {
        const run = await newRun();
        await board.createTasks([
          work(run.id, 'low', { priority: -1 }),
          work(run.id, 'first'),
          work(run.id, 'urgent', { priority: 10 }),
          work(run.id, 'second'),
        ]);
        const order: string[] = [];
        for (;;) {
          const lease = await board.claim({ owner: 'worker-1', ttlMs: 1000 });
          if (!lease) break;
          order.push((await board.getTask(lease.taskId)).title);
        }
        expect(order).toEqual(['urgent', 'first', 'second', 'low']);
      });

      it('grants a lease with an owner, an expiry and a fresh fence, and logs it', async () => {
        const run = await newRun();
        const [task] = await board.createTasks([work(run.id, 'one')]);
        const lease = await board.claim({ owner: 'worker-1', ttlMs: 5000 });
        const leased = await board.getTask(task!.id);
        expect(leased).toMatchObject({ status: 'leased', leaseOwner: 'worker-1', fence: 1 });
        // the claim returns the task as leased: the claimer needs no second read
        expect(lease).toEqual({
          taskId: task!.id,
          runId: run.id,
          owner: 'worker-1',
          fence: 1,
          expiresAt: now + 5000,
          task: leased,
        });
        expect(await board.claim({ owner: 'worker-2', ttlMs: 5000 })).toBeNull();
        expect((await eventTypes(run.id)).at(-1)).toBe('task.claimed');
      });

      it('filters claims by run, kind and scope', async () => {
        const run = await newRun();
        const other = await newRun();
        await board.createTasks([
          { runId: run.id, kind: 'plan', title: 'plan ui', scope: ['src/ui/**'] },
          work(run.id, 'server work', { scope: ['src/server/api/**', 'src/server/db.ts'] }),
          work(run.id, 'ui work', { scope: ['src/ui/button.tsx'] }),
          work(other.id, 'other run'),
        ]);
        const ui = await board.claim({
          owner: 'w',
          ttlMs: 1000,
          filter: { runId: run.id, kinds: ['work'], scopes: ['src/ui'] },
        });
        expect((await board.getTask(ui!.taskId)).title).toBe('ui work');
        const server = await board.claim({
          owner: 'w',
          ttlMs: 1000,
          filter: { runId: run.id, kinds: ['work'], scopes: ['src/server/'] },
        });
        expect((await board.getTask(server!.taskId)).title).toBe('server work');
        expect(
          await board.claim({ owner: 'w', ttlMs: 1000, filter: { runId: run.id, kinds: ['work'] } }),
        ).toBeNull();
        const plan = await board.claim({
          owner: 'w',
          ttlMs: 1000,
          filter: { runId: run.id, kinds: ['plan', 'judge'] },
        });
        expect((await board.getTask(plan!.taskId)).kind).toBe('plan');
        const elsewhere = await board.claim({ owner: 'w', ttlMs: 1000, filter: { runId: other.id } });
        expect(elsewhere?.runId).toBe(other.id);
      });

      it('holds a task back until its dependencies are done', async () => {
        const run = await newRun();
        const [base] = await board.createTasks([work(run.id, 'base', { priority: -5 })]);
        await board.createTasks([work(run.id, 'needs base', { priority: 5, dependsOn: [base!.id] })]);
        const first = await board.claim({ owner: 'w', ttlMs: 1000 });
        expect(first?.taskId).toBe(base!.id);
        expect(await board.claim({ owner: 'w', ttlMs: 1000 })).toBeNull();
        await board.complete({ taskId: base!.id, fence: first!.fence });
        const second = await board.claim({ owner: 'w', ttlMs: 1000 });
        expect((await board.getTask(second!.taskId)).title).toBe('needs base');
      });

      it('extends a lease with a heartbeat and refuses a stale one', async () => {
        const run = await newRun();
        await board.createTasks([work(run.id, 'one')]);
        const lease = await board.claim({ owner: 'w', ttlMs: 1000 });
        now += 900;
        const extended = await board.heartbeat({ taskId: lease!.taskId, fence: lease!.fence, ttlMs: 1000 });
        expect(extended.expiresAt).toBe(now + 1000);
        await expect(
          board.heartbeat({ taskId: lease!.taskId, fence: lease!.fence + 1, ttlMs: 1000 }),
        ).rejects.toBeInstanceOf(StaleFenceError);
      });

      it('completes once; a second completion with the same fence is stale', async () => {
        const run = await newRun();
        await board.createTasks([work(run.id, 'one')]);
        const lease = await board.claim({ owner: 'w', ttlMs: 1000 });
        const completed = await board.complete({
          taskId: lease!.taskId,
          fence: lease!.fence,
          result: { files: 2 },
          handoff: 'did it',
        });
        expect(completed).toMatchObject({ taskId: lease!.taskId, fence: lease!.fence, owner: 'w' });
        expect(await board.getTask(lease!.taskId)).toMatchObject({
          status: 'done',
          result: { files: 2 },
          handoff: 'did it',
        });
        const again = board.complete({ taskId: lease!.taskId, fence: lease!.fence });
        await expect(again).rejects.toMatchObject({ type: 'stale-fence', currentStatus: 'done' });
        await expect(board.complete({ taskId: 'task_zzzzzzzz', fence: 1 })).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('retries a retryable failure until attempts run out, and fails a permanent one at once', async () => {
        const run = await newRun();
        const [flaky, broken] = await board.createTasks([
          work(run.id, 'flaky', { priority: 1 }),
          work(run.id, 'broken'),
        ]);
        for (let attempt = 1; attempt <= 3; attempt++) {
          const lease = await board.claim({ owner: 'w', ttlMs: 1000, filter: { runId: run.id } });
          expect(lease?.taskId).toBe(flaky!.id);
          const task = await board.fail({
            taskId: flaky!.id,
            fence: lease!.fence,
            reason: 'tests red',
            retryable: true,
          });
          expect(task.status).toBe(attempt < 3 ? 'open' : 'failed');
          expect(task.attempts).toBe(attempt);
        }
        const lease = await board.claim({ owner: 'w', ttlMs: 1000 });
        expect(lease?.taskId).toBe(broken!.id);
        const failed = await board.fail({
          taskId: broken!.id,
          fence: lease!.fence,
          reason: 'impossible',
          retryable: false,
        });
        expect(failed).toMatchObject({ status: 'failed', failureReason: 'impossible' });
      });

      it('releases a lease without using an attempt; the old fence is then stale', async () => {
        const run = await newRun();
        await board.createTasks([work(run.id, 'one')]);
        const first = await board.claim({ owner: 'w1', ttlMs: 1000 });
        const released = await board.release({ taskId: first!.taskId, fence: first!.fence });
        expect(released).toMatchObject({ status: 'open', attempts: 0, leaseOwner: null });
        const second = await board.claim({ owner: 'w2', ttlMs: 1000 });
        expect(second).toMatchObject({ taskId: first!.taskId, fence: first!.fence + 1, owner: 'w2' });
        await expect(board.complete({ taskId: first!.taskId, fence: first!.fence })).rejects.toBeInstanceOf(
          StaleFenceError,
        );
      });

      it('reaps expired leases, fails tasks that expire too often, and rejects the late owner', async () => {
        const run = await newRun();
        const [task] = await board.createTasks([work(run.id, 'slow')]);
        const held = await board.claim({ owner: 'w1', ttlMs: 1000 });
        expect(await board.reap({ now: now + 999 })).toEqual({ reopened: [], failed: [] });
        now += 1001;
        expect(await board.reap()).toEqual({ reopened: [task!.id], failed: [] });
        expect(await board.getTask(task!.id)).toMatchObject({
          status: 'open',
          attempts: 1,
          leaseOwner: null,
        });
        await expect(board.complete({ taskId: task!.id, fence: held!.fence })).rejects.toBeInstanceOf(
          StaleFenceError,
        );
        for (let expiry = 2; expiry <= 3; expiry++) {
          await board.claim({ owner: `w${expiry}`, ttlMs: 1000 });
          now += 1001;
          const reaped = await board.reap();
          expect(expiry < 3 ? reaped.reopened : reaped.failed).toEqual([task!.id]);
        }
        expect(await board.getTask(task!.id)).toMatchObject({
          status: 'failed',
          failureReason: 'lease expired too often',
        });
        expect((await eventTypes(run.id)).filter((type) => type === 'task.expired')).toHaveLength(2);
      });

      it('validates claim input', async () => {
        await expect(board.claim({ owner: 'has spaces', ttlMs: 1000 })).rejects.toBeInstanceOf(
          InvalidInputError,
        );
        await expect(board.claim({ owner: 'w', ttlMs: 0 })).rejects.toThrow(/at least 1 ms/);
      });

      it('keeps concurrent operations independent: failing ones leave the others applied and nothing behind', async () => {
        const run = await newRun();
        await board.createTasks(Array.from({ length: 6 }, (_, index) => work(run.id, `t${index}`)));
        const results = await Promise.allSettled([
          board.claim({ owner: 'a', ttlMs: 1000 }),
          // fails before writing anything
          board.complete({ taskId: 'task_zzzzzzzz', fence: 1 }),
          board.claim({ owner: 'b', ttlMs: 1000 }),
          // fails after inserting its first task: that insert must not survive
          board.createTasks([
            work(run.id, 'half written'),
            work(run.id, 'orphan', { parentId: 'task_zzzzzzzz' }),
          ]),
          board.createTasks([work(run.id, 'added alongside')]),
          board.claim({ owner: 'c', ttlMs: 1000 }),
        ]);
        expect(results.map((result) => result.status)).toEqual([
          'fulfilled',
          'rejected',
          'fulfilled',
          'rejected',
          'fulfilled',
          'fulfilled',
        ]);
        const owners = await board.listTasks({ runId: run.id, status: 'leased' });
        expect(owners.map((task) => task.leaseOwner).sort()).toEqual(['a', 'b', 'c']);
        const titles = (await board.listTasks({ runId: run.id })).map((task) => task.title);
        expect(titles).toContain('added alongside');
        expect(titles).not.toContain('half written');
        const logged = (await board.readEvents({ runId: run.id, types: ['task.created'] })).length;
        expect(logged).toBe(7);
      });
    });

    describe('events', () => {
      it('appends catalog events from any layer and reads them back typed, by sequence and type', async () => {
        const run = await newRun();
        const appended = await board.appendEvent({
          runId: run.id,
          type: 'coordination.work-done',
          payload: { agent: 3, task: 12, duplicate: false },
        });
        expect(appended).toMatchObject({
          runId: run.id,
          type: 'coordination.work-done',
          payload: { agent: 3, task: 12, duplicate: false },
          at: now,
        });
        const after = await board.readEvents({ runId: run.id, afterSeq: appended.seq - 1 });
        expect(after.map((event) => event.seq)).toEqual([appended.seq]);
        const [read] = after;
        // narrowing on the type gives the typed payload, no cast
        if (read?.type !== 'coordination.work-done') throw new Error(`read ${read?.type}`);
        expect(read.payload.task).toBe(12);
        expect(
          (await board.readEvents({ runId: run.id, types: ['run.created'] })).map((event) => event.type),
        ).toEqual(['run.created']);
        const [created] = await board.readEvents({ runId: run.id, types: ['run.created'] });
        expect(created?.type === 'run.created' && created.payload.goal).toBe(run.goal);
      });

      it('refuses an event the catalog lacks, or a payload it does not match, naming what is wrong', async () => {
        const run = await newRun();
        const refused = (input: unknown) =>
          // deliberately untyped: what an old caller or a hand-written script might send
          board.appendEvent(input as NewEventInput).then(
            () => 'appended',
            (error: unknown) => error,
          );
        const unknownType = await refused({ runId: run.id, type: 'test.first', payload: {} });
        expect(unknownType).toBeInstanceOf(InvalidInputError);
        expect(String(unknownType)).toMatch(/test\.first is not in the event catalog/);
        const badPayload = await refused({
          runId: run.id,
          type: 'coordination.work-done',
          payload: { agent: 3, task: 'twelve', duplicate: false },
        });
        expect(badPayload).toBeInstanceOf(InvalidInputError);
        expect(String(badPayload)).toMatch(/coordination\.work-done: payload\.task/);
        expect(await refused({ runId: run.id, type: 'Not A Type', payload: {} })).toBeInstanceOf(
          InvalidInputError,
        );
        expect(await board.readEvents({ runId: run.id })).toHaveLength(1);
      });

      it('follows the log: existing events first, then new ones as they are appended, until aborted', async () => {
        const run = await newRun();
        const controller = new AbortController();
        const seen: string[] = [];
        const following = (async () => {
          for await (const event of board.followEvents({ runId: run.id, signal: controller.signal })) {
            seen.push(event.type);
            if (seen.length === 3) controller.abort();
          }
        })();
        await board.appendEvent({
          runId: run.id,
          type: 'judge.stray-cancelled',
          payload: { reason: 'first' },
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
        await board.appendEvent({
          runId: run.id,
          type: 'judge.stray-cancelled',
          payload: { reason: 'second' },
        });
        await following;
        expect(seen).toEqual(['run.created', 'judge.stray-cancelled', 'judge.stray-cancelled']);
      });
    });

    describe('agents, inbox and landings', () => {
      it('registers and updates agents, logging state changes but not usage alone', async () => {
        const run = await newRun();
        const agent = await board.registerAgent({
          runId: run.id,
          role: 'worker',
          model: 'sim:worker',
          promptHash: 'abc',
        });
        expect(agent).toMatchObject({ status: 'starting', role: 'worker', heartbeatAt: now });
        now += 10;
        const running = await board.updateAgent({ agentId: agent.id, patch: { status: 'running' } });
        expect(running).toMatchObject({ status: 'running', heartbeatAt: now });
        await board.updateAgent({ agentId: agent.id, patch: { usage: { inputTokens: 10 } } });
        expect((await board.getAgent(agent.id)).usage).toEqual({ inputTokens: 10 });
        expect((await board.listAgents({ runId: run.id })).map((listed) => listed.id)).toEqual([agent.id]);
        expect((await eventTypes(run.id)).filter((type) => type.startsWith('agent.'))).toEqual([
          'agent.registered',
          'agent.updated',
        ]);
        await expect(
          board.updateAgent({ agentId: 'agent_zzzzzzzz', patch: { status: 'done' } }),
        ).rejects.toBeInstanceOf(NotFoundError);
      });

      it('registers a running agent with its placement in one write', async () => {
        const run = await newRun();
        const placement = { process: 'worker', host: 'machine-a', pid: 42 };
        const agent = await board.registerAgent({
          runId: run.id,
          role: 'planner',
          model: 'sim:planner',
          status: 'running',
          placement,
        });
        expect(agent.status).toBe('running');
        const events = await board.readEvents({
          runId: run.id,
          types: ['agent.registered', 'agent.updated'],
        });
        expect(events).toHaveLength(1);
        expect(events[0]?.payload).toMatchObject({ role: 'planner', status: 'running', placement });
        await expect(
          board.registerAgent({
            runId: run.id,
            role: 'worker',
            model: 'sim:worker',
            status: 'done' as 'running',
          }),
        ).rejects.toThrow(/status/);
      });

      it('delivers messages to an agent or a run once, after acknowledgement they are gone', async () => {
        const run = await newRun();
        const agent = await board.registerAgent({ runId: run.id, role: 'worker', model: 'sim:worker' });
        const steer = await board.sendMessage({
          recipient: { type: 'agent', runId: run.id, agentId: agent.id },
          kind: 'steer',
          body: 'focus on tests',
        });
        await board.sendMessage({ recipient: { type: 'run', runId: run.id }, kind: 'pause' });
        const forAgent = await board.pollInbox({
          recipient: { type: 'agent', runId: run.id, agentId: agent.id },
        });
        expect(forAgent.map((message) => [message.kind, message.body])).toEqual([
          ['steer', 'focus on tests'],
        ]);
        const forRun = await board.pollInbox({ recipient: { type: 'run', runId: run.id } });
        expect(forRun.map((message) => message.kind)).toEqual(['pause']);
        const other = await board.registerAgent({ runId: run.id, role: 'worker', model: 'sim:worker' });
        await board.sendMessage({
          recipient: { type: 'agent', runId: run.id, agentId: other.id },
          kind: 'stop',
        });
        const fleetWide = await board.pendingAgentMessages({ runId: run.id });
        expect(fleetWide.map((message) => [message.agentId, message.kind])).toEqual([
          [agent.id, 'steer'],
          [other.id, 'stop'],
        ]);
        expect(await board.acknowledge({ messageIds: [steer.id] })).toHaveLength(1);
        expect(await board.acknowledge({ messageIds: [steer.id] })).toHaveLength(0);
        expect(
          await board.pollInbox({ recipient: { type: 'agent', runId: run.id, agentId: agent.id } }),
        ).toEqual([]);
        await expect(
          board.sendMessage({
            recipient: { type: 'agent', runId: run.id, agentId: 'agent_zzzzzzzz' },
            kind: 'stop',
          }),
        ).rejects.toBeInstanceOf(NotFoundError);
      });

      it('records a landing once per task, whatever the fence, and refuses a stale fence', async () => {
        const run = await newRun();
        const [task] = await board.createTasks([work(run.id, 'land me')]);
        const first = await board.claim({ owner: 'w1', ttlMs: 1000 });
        const landed = await board.recordLanding({
          taskId: task!.id,
          fence: first!.fence,
          commit: 'abc1234',
        });
        expect(landed).toMatchObject({
          type: 'landed',
          landing: { taskId: task!.id, fence: 1, commit: 'abc1234' },
        });
        now += 2000;
        await board.reap();
        const second = await board.claim({ owner: 'w2', ttlMs: 1000 });
        const again = await board.recordLanding({
          taskId: task!.id,
          fence: second!.fence,
          commit: 'def5678',
        });
        expect(again).toMatchObject({ type: 'already-landed', landing: { commit: 'abc1234', fence: 1 } });
        const [other] = await board.createTasks([work(run.id, 'other')]);
        const otherLease = await board.claim({ owner: 'w3', ttlMs: 1000 });
        expect(otherLease?.taskId).toBe(other!.id);
        await expect(
          board.recordLanding({ taskId: other!.id, fence: otherLease!.fence - 1 || 99, commit: 'aaa1111' }),
        ).rejects.toBeInstanceOf(StaleFenceError);
        expect(await board.getLanding(other!.id)).toBeNull();
        expect((await board.getLanding(task!.id))?.commit).toBe('abc1234');
      });
    });
  });
}
