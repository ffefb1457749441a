import type { QueueEntry } from '../../protocol/index.ts';
import type { Suspect, TrainState } from './queue-context.ts';
import type { QueueSettings } from './queue-settings.ts';

/** What a planned check of the train is for; recorded with the batch. */
export type CheckPurpose = 'batch' | 'bisect' | 'probe';

/** Some suspected entries, checked on the tip apart from the train. */
export interface Probe {
  suspect: Suspect;
  entries: QueueEntry[];
}

/** The next round: suspects to blame now, probes of the others, and prefixes of the chain to check. */
export interface RoundPlan {
  blame: Suspect[];
  probes: Probe[];
  purpose: CheckPurpose;
  /** Prefix lengths of the chain, shortest first. */
  lengths: number[];
  /** In-place bisection came down to the chain's first entry: it fails on the tip, blame it. */
  blameHead: boolean;
}

// how many decided entries the batch size looks back over, and the prior it starts from
const recentWindow = 50;
const priorFailures = 0.5;
const priorEntries = 5;

/**
 * The batch size at which a batch still passes at least half the time, given the share of recent
 * changes that broke the checks (a 10 % prior before any are known): at 10 % that is 6 changes, at
 * 1 % it is 68 (capped by maxBatch). Bigger batches fail more often than not; smaller ones spend
 * check runs that were likely to pass anyway.
 */
export function batchSize(recent: readonly boolean[], maxBatch: number): number {
  const window = recent.slice(-recentWindow);
  const failures = window.filter(Boolean).length;
  const rate = (failures + priorFailures) / (window.length + priorEntries);
  const size = Math.floor(Math.log(0.5) / Math.log(1 - Math.min(rate, 0.99)));
  return Math.max(1, Math.min(maxBatch, size));
}

/** Remembers whether a decided entry broke the checks, keeping the recent window. */
export function recordDecision(state: TrainState, broke: boolean): void {
  state.recent.push(broke);
  if (state.recent.length > recentWindow) state.recent.shift();
}

/**
 * Plans a round within `speculation` checks at once. Suspects come first (up to half the checks, all of
 * them when the train is empty): a lone entry that failed 1 + flakyRetries times is blamed without a
 * check, a lone one that failed fewer times is checked again, a group is split in halves. The rest
 * goes to the train: batches of `batchSize`, the first on the tip and each next one stacked on the one
 * before (speculation), or cut points inside a prefix known red (in-place bisection).
 */
export function planRound(
  state: TrainState,
  settings: QueueSettings,
  redTipLength: number | null,
): RoundPlan {
  const blame = state.suspects.filter(
    (suspect) => suspect.entries.length === 1 && suspect.reds >= 1 + settings.flakyRetries,
  );
  const open = state.suspects.filter((suspect) => !blame.includes(suspect));
  // the train takes the checks its chain can use, leaving suspects at least half; suspects take the rest
  const size = batchSize(state.recent, settings.maxBatch);
  const trainWants = Math.min(settings.speculation, Math.ceil(state.chain.length / size));
  const probeBudget =
    open.length === 0
      ? 0
      : Math.max(1, settings.speculation - Math.min(trainWants, Math.ceil(settings.speculation / 2)));
  const probes: Probe[] = [];
  for (const suspect of open) {
    // with one check left, the first half alone; the rest stays suspected for a later round
    for (const entries of split(suspect.entries).slice(0, probeBudget - probes.length))
      probes.push({ suspect, entries });
    if (probes.length >= probeBudget) break;
  }
  const trainBudget = settings.speculation - probes.length;
  const train = trainBudget > 0 ? planTrain(state, settings, trainBudget, redTipLength) : null;
  return {
    blame,
    probes,
    purpose: train?.purpose ?? 'batch',
    lengths: train?.lengths ?? [],
    blameHead: state.redPrefix === 1 && redTipLength === null,
  };
}

function split(entries: QueueEntry[]): QueueEntry[][] {
  if (entries.length === 1) return [entries];
  const half = Math.ceil(entries.length / 2);
  return [entries.slice(0, half), entries.slice(half)];
}

function planTrain(
  state: TrainState,
  settings: QueueSettings,
  budget: number,
  redTipLength: number | null,
): { purpose: CheckPurpose; lengths: number[] } | null {
  const length = state.chain.length;
  if (length === 0) return null;
  if (redTipLength !== null) {
    // continue mode on a red tip: check everything queued once each time the queue grows
    return length > redTipLength ? { purpose: 'batch', lengths: [length] } : null;
  }
  const red = state.redPrefix;
  if (red === null) {
    const size = batchSize(state.recent, settings.maxBatch);
    const lengths: number[] = [];
    for (let index = 1; index <= budget; index++) {
      const end = Math.min(length, index * size);
      if (lengths.at(-1) !== end) lengths.push(end);
    }
    return { purpose: 'batch', lengths };
  }
  if (red === 1) return null;
  const parts = Math.min(budget, red - 1) + 1;
  const lengths: number[] = [];
  for (let index = 1; index < parts; index++) {
    const cut = Math.max(1, Math.min(red - 1, Math.round((index * red) / parts)));
    if (lengths.at(-1) !== cut) lengths.push(cut);
  }
  return { purpose: 'bisect', lengths };
}
