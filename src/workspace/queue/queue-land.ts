import { pushChange } from '../landing/push-change.ts';
import { recordQuietly, settleEntry } from './queue-admission.ts';
import type { ChainLink } from './queue-chain.ts';
import { emitQueueEvent, type QueueContext, type TrainState } from './queue-context.ts';
import { recordDecision } from './queue-plan.ts';

/**
 * Fast-forwards the branch to the last link (only a green-checked tree is ever pushed), then records
 * each landing and settles its entry. False when the push lost to a push from outside the queue.
 */
export async function landLinks(
  queue: QueueContext,
  state: TrainState,
  links: ChainLink[],
  checkRunId: string,
  signal: AbortSignal,
): Promise<boolean> {
  const last = links.at(-1);
  if (!last) return true;
  const pushed = await pushChange({
    git: queue.git,
    cwd: queue.slots.chainPath,
    commit: last.commit,
    branch: queue.hub.branch,
    signal,
  });
  if (pushed.type === 'raced') return false;
  if (pushed.type === 'refused') throw new Error(`the hub refused the merge queue's push: ${pushed.reason}`);
  // the push happened: its records are written even when the queue is stopping, so a graceful stop
  // leaves nothing for the next owner to recover from the branch
  const settling = new AbortController().signal;
  const entries = links.map((link) => link.entry.id);
  await emitQueueEvent(
    queue,
    {
      runId: queue.runId,
      type: 'queue.pushed',
      payload: { commit: last.commit, previousTip: state.tip, entries, checkRunId },
    },
    settling,
  );
  if (!state.tipGreen && queue.settings.onRedTip === 'hold')
    await emitQueueEvent(queue, { runId: queue.runId, type: 'queue.resumed', payload: {} }, settling);
  state.tip = last.commit;
  state.tipTree = last.tree;
  state.tipGreen = true;
  state.fixTaskId = null;
  // the chain's head is these links when the train lands; a probe's links are not in the chain
  if (state.chain[0]?.entry.id === links[0]?.entry.id) state.chain = state.chain.slice(links.length);
  for (const link of links) {
    await recordQuietly(queue, link.entry, link.commit, settling);
    await settleEntry(queue, link.entry, { type: 'landed', commit: link.commit, checkRunId }, settling);
    recordDecision(state, false);
  }
  queue.log(`merge queue: landed ${links.length} change(s) at ${last.commit.slice(0, 10)}`);
  return true;
}
