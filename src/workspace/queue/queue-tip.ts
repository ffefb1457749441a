import type { NewTaskInput } from '../../protocol/index.ts';
import { rebuildChain } from './queue-admission.ts';
import { treeOf } from './queue-chain.ts';
import { emitQueueEvent, type QueueContext, type TrainState } from './queue-context.ts';

// the fix task carries the end of the output, where a failing build says what failed
const fixOutputChars = 20_000;

/**
 * Brings the queue's picture of the tip up to date. A tip the queue did not push (a start, a change
 * pushed from outside) is checked unless a check run of it is on the board already; a red one files
 * one fix task (the check run and the task are written together, so a restarted queue finds both and
 * files no second one). The chain is rebuilt on a new tip.
 */
export async function reconcileTip(
  queue: QueueContext,
  state: TrainState,
  signal: AbortSignal,
  checksCommand: string,
): Promise<void> {
  await queue.hub.refresh(signal);
  const tip = await queue.hub.tip(signal);
  if (tip === state.tip) return;
  state.tip = tip;
  state.tipTree = await treeOf(queue.git, queue.slots.chainPath, tip, signal);
  const runs = await queue.board.listCheckRuns({ runId: queue.runId, commit: tip, limit: 20 }, { signal });
  const green = runs.find((run) => run.result === 'passed');
  const filed = runs.find((run) => run.result !== 'passed' && run.fixTaskId !== null);
  if (green) markGreen(state);
  else if (filed) markRed(state, filed.fixTaskId);
  else await checkTip(queue, state, tip, signal, checksCommand);
  rebuildChain(state);
}

async function checkTip(
  queue: QueueContext,
  state: TrainState,
  tip: string,
  signal: AbortSignal,
  checksCommand: string,
): Promise<void> {
  queue.log(`merge queue: checking the branch tip ${tip.slice(0, 10)}`);
  await emitQueueEvent(
    queue,
    {
      runId: queue.runId,
      type: 'queue.batch',
      payload: { batchId: queue.newId(), head: tip, base: tip, entries: [], depth: 0, purpose: 'tip' },
    },
    signal,
  );
  const result = await queue.slots.check(tip, signal);
  const passed = result.type === 'passed';
  const output = result.type === 'passed' ? '' : result.output;
  const run = await queue.board.recordCheckRun(
    {
      runId: queue.runId,
      queueFence: queue.fence,
      commit: tip,
      base: tip,
      entryIds: [],
      result: result.type,
      flaky: false,
      durationMs: result.durationMs,
      output,
      ...(passed ? {} : { fixTask: fixTaskFor(queue, tip, output, checksCommand) }),
    },
    { signal },
  );
  if (passed) return markGreen(state);
  markRed(state, run.fixTaskId);
  // the run and its fix task are recorded: their events follow even when the queue is stopping
  const recorded = new AbortController().signal;
  const action = queue.settings.onRedTip;
  queue.log(
    `merge queue: the branch tip ${tip.slice(0, 10)} fails the checks; filed ${run.fixTaskId} (${action})`,
  );
  await emitQueueEvent(
    queue,
    {
      runId: queue.runId,
      type: 'queue.red-tip',
      payload: { tip, checkRunId: run.id, fixTaskId: run.fixTaskId, action },
    },
    recorded,
  );
  if (action === 'hold')
    await emitQueueEvent(
      queue,
      {
        runId: queue.runId,
        type: 'queue.held',
        payload: {
          reason: `the branch tip ${tip} fails the checks; only ${run.fixTaskId ?? 'a fix'} may land`,
        },
      },
      recorded,
    );
}

function markGreen(state: TrainState): void {
  state.tipGreen = true;
  state.fixTaskId = null;
}

function markRed(state: TrainState, fixTaskId: string | null): void {
  state.tipGreen = false;
  state.fixTaskId = fixTaskId;
  state.checkedRedTipLength = 0;
}

function fixTaskFor(queue: QueueContext, tip: string, output: string, checksCommand: string): NewTaskInput {
  const tail = output.length > fixOutputChars ? output.slice(-fixOutputChars) : output;
  return {
    runId: queue.runId,
    kind: 'work',
    title: `Make the checks pass on ${queue.hub.branch} again`,
    spec: [
      `The checks (\`${checksCommand}\`) fail on the branch tip ${tip}, which the merge queue did not push:`,
      'a change pushed from outside the queue, or a check that turned red without a change.',
      queue.settings.onRedTip === 'hold'
        ? 'Find the cause and fix it; the queue holds other changes until the branch is green again.'
        : 'Find the cause and fix it; until the branch is green again, only changes that pass with the fix land.',
      '',
      'Output of the checks:',
      '',
      tail,
    ].join('\n'),
    acceptance: `\`${checksCommand}\` passes on the branch.`,
    priority: 1_000_000,
  };
}
