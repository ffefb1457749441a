import type { QueueEntry } from '../../protocol/index.ts';
import { extendChain, rebuildChain, retryWaiting, returnToPending } from './queue-admission.ts';
import type { ChainLink } from './queue-chain.ts';
import { checkHead, type EntriesCheck } from './queue-checks.ts';
import type { QueueContext, TrainState } from './queue-context.ts';
import { landLinks } from './queue-land.ts';
import { batchSize, type CheckPurpose, planRound, type RoundPlan, recordDecision } from './queue-plan.ts';
import { blameEntry, finishProbes, startProbes } from './queue-probes.ts';

/** How one round ended: the tip moved under the queue (someone pushed from outside), or not. */
export type RoundResult = { type: 'idle' } | { type: 'worked' } | { type: 'tip-moved' };

/** What the train part of a round did to the chain. */
type TrainResult =
  | { type: 'done'; landed: number; quarantined: boolean }
  | { type: 'tip-moved'; landed: number };

/**
 * One round: blame suspects that failed often enough, probe the other suspects apart from the train,
 * check the train's planned prefixes, all at once, then land and narrow down by the results.
 */
export async function runRound(
  queue: QueueContext,
  state: TrainState,
  signal: AbortSignal,
): Promise<RoundResult> {
  const { settings } = queue;
  const redTip = continuing(queue, state);
  // as long as the train's prefixes can be: its checks are those the suspects leave it
  const probeChecks = state.suspects.length > 0 ? Math.max(1, Math.floor(settings.speculation / 2)) : 0;
  const trainNeed =
    Math.max(1, settings.speculation - probeChecks) * batchSize(state.recent, settings.maxBatch);
  await extendChain(queue, state, redTip ? Number.POSITIVE_INFINITY : trainNeed, signal);
  const plan = planRound(state, settings, redTip ? state.checkedRedTipLength : null);
  for (const suspect of plan.blame) {
    state.suspects = state.suspects.filter((other) => other !== suspect);
    const [entry] = suspect.entries;
    if (entry) await blameEntry(queue, state, entry, suspect.checkRunId, signal);
  }
  if (plan.blameHead) {
    await blameHead(queue, state, signal);
    return { type: 'worked' };
  }
  if (plan.probes.length === 0 && plan.lengths.length === 0)
    return plan.blame.length > 0 ? { type: 'worked' } : { type: 'idle' };
  return checkRound(queue, state, plan, signal);
}

/**
 * Runs the round's probes and train at once. The train's own stop (a red prefix stops the longer
 * ones) leaves the probes running: they test other entries, and their results count either way.
 */
async function checkRound(
  queue: QueueContext,
  state: TrainState,
  plan: RoundPlan,
  signal: AbortSignal,
): Promise<RoundResult> {
  const rejoining: QueueEntry[] = [];
  const giveBack = (entries: QueueEntry[]) => rejoining.push(...entries);
  const trainStop = new AbortController();
  const probesStop = new AbortController();
  const probes = await startProbes(
    queue,
    state,
    plan.probes,
    AbortSignal.any([signal, probesStop.signal]),
    giveBack,
  );
  let train: TrainResult = { type: 'done', landed: 0, quarantined: false };
  let probeLanded = false;
  try {
    train = await runTrain(queue, state, plan, AbortSignal.any([signal, trainStop.signal]), trainStop);
    probeLanded = await finishProbes(queue, state, probes, signal, giveBack);
  } finally {
    trainStop.abort(new Error('the round ended'));
    probesStop.abort(new Error('the round ended'));
    await Promise.allSettled(probes.map((probe) => probe.check));
  }
  if (train.type === 'tip-moved') {
    returnToPending(state, rejoining);
    return { type: 'tip-moved' };
  }
  // cleared suspects are older than the chain's entries: rebuilt, the next train checks them first
  if (train.quarantined || probeLanded || rejoining.length > 0) rebuildChain(state);
  returnToPending(state, rejoining);
  if (train.landed > 0 || probeLanded) retryWaiting(state);
  return { type: 'worked' };
}

/** Whether the tip is red and the queue goes on checking everything (`continue`) rather than only the fix. */
function continuing(queue: QueueContext, state: TrainState): boolean {
  return !state.tipGreen && queue.settings.onRedTip === 'continue';
}

/**
 * Checks the planned prefixes at once and reads the results shortest first: a green one is pushed at
 * once (its exact tree passed), the first red one stops the train, and the longer ones still running
 * are stopped, since they hold the red one's changes.
 */
async function runTrain(
  queue: QueueContext,
  state: TrainState,
  plan: RoundPlan,
  signal: AbortSignal,
  stop: AbortController,
): Promise<TrainResult> {
  const base = state.tip;
  const prefixes = plan.lengths.map((length) => state.chain.slice(0, length));
  const runs = prefixes.map((links) => checkPrefix(queue, links, base, plan.purpose, signal));
  // read in order below; one that fails while an earlier one is awaited must not go unhandled
  for (const run of runs) run.catch(() => {});
  let landed = 0;
  try {
    for (const [index, links] of prefixes.entries()) {
      const run = await (runs[index] as Promise<EntriesCheck>);
      if (!run.passed) {
        stop.abort(new Error('a shorter prefix failed'));
        const quarantined = noteRed(queue, state, plan.purpose, links.length - landed, run.checkRunId);
        return { type: 'done', landed, quarantined };
      }
      if (!(await landLinks(queue, state, links.slice(landed), run.checkRunId, signal)))
        return { type: 'tip-moved', landed };
      landed = links.length;
    }
    if (state.redPrefix !== null)
      state.redPrefix = state.redPrefix - landed > 0 ? state.redPrefix - landed : null;
    if (state.redPrefix === null) state.redCheckRunId = null;
    return { type: 'done', landed, quarantined: false };
  } finally {
    await Promise.allSettled(runs);
  }
}

/**
 * What a red prefix teaches. Normally its entries become one suspect and leave the chain, so the
 * train goes on without them. When they had all passed alone before (they break only together),
 * or during in-place bisection, the prefix stays and is bisected in place. On a red tip in
 * `continue` mode nobody is blamed. Returns whether entries left the chain.
 */
function noteRed(
  queue: QueueContext,
  state: TrainState,
  purpose: CheckPurpose,
  length: number,
  checkRunId: string,
): boolean {
  if (continuing(queue, state)) {
    state.checkedRedTipLength = state.chain.length;
    return false;
  }
  const segment = state.chain.slice(0, length);
  if (purpose === 'bisect' || segment.every((link) => state.cleared.has(link.entry.id))) {
    state.redPrefix = length;
    state.redCheckRunId = checkRunId;
    return false;
  }
  state.suspects.push({ entries: segment.map((link) => link.entry), reds: 1, checkRunId, wholeRun: true });
  // counted now, not when the culprit is found rounds later: batches shrink before the next round
  recordDecision(state, true);
  state.chain = state.chain.slice(length);
  return true;
}

function checkPrefix(
  queue: QueueContext,
  links: ChainLink[],
  base: string,
  purpose: CheckPurpose,
  signal: AbortSignal,
): Promise<EntriesCheck> {
  const head = (links.at(-1) as ChainLink).commit;
  const entryIds = links.map((link) => link.entry.id);
  return checkHead(queue, { head, base, entryIds, purpose, flakyIfPassed: false }, signal);
}

/** In-place bisection came down to the chain's first entry: it fails on the tip, so it goes back to its worker. */
async function blameHead(queue: QueueContext, state: TrainState, signal: AbortSignal): Promise<void> {
  const [head, ...rest] = state.chain;
  if (!head) return;
  await blameEntry(queue, state, head.entry, state.redCheckRunId ?? '', signal);
  recordDecision(state, true);
  state.chain = rest;
  rebuildChain(state);
}
