import type { Handoff } from './handoff-tool.ts';
import type { LandState } from './land-tool.ts';

/** Where a worker's task stands, decided from what its `land` and `handoff` calls achieved. */
export type WorkerOutcome =
  | { type: 'working' }
  | { type: 'landed'; commit: string; source: 'push' | 'board' | 'branch' }
  /** The branch held the worker's change already (a duplicate task); nothing was pushed. */
  | { type: 'already-done'; tip: string }
  | { type: 'gave-up'; reason: string };

/**
 * Where the task stands when the worker ends, handoff or not: a landing counts once made, whatever
 * came after (an agent cut off by its budget after landing still landed); then giving up; then a
 * last `land` that found the change on the branch already. `working` means nothing landed.
 */
export function endOutcome(land: LandState, handoff: Handoff | null): WorkerOutcome {
  if (land.landed) return { type: 'landed', ...land.landed };
  if (handoff?.gaveUp) return { type: 'gave-up', reason: handoff.reason };
  if (land.last?.type === 'already-on-branch') return { type: 'already-done', tip: land.last.tip };
  return { type: 'working' };
}

/** Whether the worker is finished: it handed off, and the handoff decided the task (see endOutcome). */
export function workerOutcome(land: LandState, handoff: Handoff | null): WorkerOutcome {
  return handoff === null ? { type: 'working' } : endOutcome(land, handoff);
}

const giveUp = 'or, if you cannot, call handoff with gaveUp: true and a reason';

/**
 * Why a handoff that does not give up must wait, in words a model can act on; null when it may
 * finish the task (the worker landed, or the branch holds its change already).
 */
export function handoffRefusal(land: LandState): string | null {
  if (land.landed) return null;
  const last = land.last;
  if (last === null)
    return `nothing has landed: your task is finished only when its change is on the shared branch. Call land with a commit message first, ${giveUp}.`;
  switch (last.type) {
    case 'landed':
    case 'already-on-branch':
      return null;
    case 'not-landed':
      return last.outcome === 'conflict' || last.outcome === 'unresolved-conflict'
        ? `your last land did not land: it hit a conflict in ${last.detail}. Resolve the conflict in your worktree (keep both your change and theirs) and call land again, ${giveUp}.`
        : `your last land did not land (${last.outcome}: ${last.detail}). Fix that and call land again, ${giveUp}.`;
  }
}
