import { describe, expect, it } from 'vitest';
import { BoardClosedError } from '../errors.ts';
import type { SqlRunner } from './executor.ts';
import { createWriteQueue, type Outcome, type PendingWrite, settleBatch } from './write-queue.ts';

const runner = {} as SqlRunner;

/** A queue whose flush runs each write in turn and records the batches it was given. */
function recordingQueue(options: { maxBatch?: number; committed?: boolean } = {}) {
  const batches: number[][] = [];
  const queue = createWriteQueue({
    maxBatch: options.maxBatch,
    flush: async (batch: readonly PendingWrite[]) => {
      const outcomes: Outcome[] = [];
      for (const pending of batch) {
        try {
          outcomes.push({ type: 'value', value: await pending.work(runner) });
        } catch (error) {
          outcomes.push({ type: 'error', error });
        }
      }
      batches.push(outcomes.map((outcome) => (outcome.type === 'value' ? (outcome.value as number) : -1)));
      settleBatch(batch, outcomes);
      return options.committed ?? true;
    },
  });
  return { queue, batches };
}

describe('write queue', () => {
  it('hands writes asked for together to one flush, in order, and settles each with its own outcome', async () => {
    const { queue, batches } = recordingQueue();
    const results = await Promise.allSettled([
      queue.push(async () => 1),
      queue.push(async () => {
        throw new Error('refused');
      }),
      queue.push(async () => 3),
    ]);
    expect(batches).toEqual([[1, -1, 3]]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
  });

  it('splits a long queue into batches of at most maxBatch, one flush at a time', async () => {
    const { queue, batches } = recordingQueue({ maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((value) => queue.push(async () => value)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects a write whose signal is already aborted without queueing it', async () => {
    const { queue, batches } = recordingQueue();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(queue.push(async () => 1, controller.signal)).rejects.toThrow('stop');
    await queue.close();
    expect(batches).toEqual([]);
  });

  it('tells commit listeners of each flush that committed, until they unsubscribe', async () => {
    const { queue } = recordingQueue();
    let heard = 0;
    const stop = queue.onCommit(() => heard++);
    await queue.push(async () => 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toBe(1);
    stop();
    await queue.push(async () => 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toBe(1);
  });

  it('keeps listeners quiet when a flush reports that nothing committed', async () => {
    const { queue } = recordingQueue({ committed: false });
    let heard = 0;
    queue.onCommit(() => heard++);
    await queue.push(async () => 1);
    await queue.close();
    expect(heard).toBe(0);
  });

  it('on close, settles every queued write, then refuses new ones', async () => {
    const { queue, batches } = recordingQueue({ maxBatch: 1 });
    const pending = [queue.push(async () => 1), queue.push(async () => 2)];
    await queue.close();
    expect(queue.closed).toBe(true);
    expect(batches).toEqual([[1], [2]]);
    await expect(Promise.all(pending)).resolves.toEqual([1, 2]);
    await expect(queue.push(async () => 3)).rejects.toBeInstanceOf(BoardClosedError);
  });
});
