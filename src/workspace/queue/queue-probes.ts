import type { QueueEntry } from '../../protocol/index.ts';
import { settleEntry } from './queue-admission.ts';
import { applyEntry, type ChainLink } from './queue-chain.ts';
import { checkHead, type EntriesCheck } from './queue-checks.ts';
import type { QueueContext, TrainState } from './queue-context.ts';
import { landLinks } from './queue-land.ts';
import type { Probe } from './queue-plan.ts';

/** A probe under way: its entries as applied on the tip it was built on, and its check. */
export interface RunningProbe {
  probe: Probe;
  links: ChainLink[];
  base: string;
  check: Promise<EntriesCheck> | null;
}

/**
 * Applies each probe's entries onto the tip and starts its check. The suspects probed leave the
 * suspect list; what the probes find puts them back, clears them or blames them. An entry that no
 * longer applies (the tip moved on) is settled as a conflict, or handed back to wait.
 */
export async function startProbes(
  queue: QueueContext,
  state: TrainState,
  probes: readonly Probe[],
  signal: AbortSignal,
  giveBack: (entries: QueueEntry[]) => void,
): Promise<RunningProbe[]> {
  state.suspects = state.suspects.filter((suspect) => !probes.some((probe) => probe.suspect === suspect));
  for (const suspect of new Set(probes.map((probe) => probe.suspect))) {
    const probed = new Set(
      probes.filter((probe) => probe.suspect === suspect).flatMap((probe) => probe.entries),
    );
    const rest = suspect.entries.filter((entry) => !probed.has(entry));
    // a group probed only in part: the rest stays suspected, but the group's failures say nothing
    // about the rest alone (the culprit may be in the probed part), so its own count starts at 0
    if (rest.length > 0) state.suspects.push({ ...suspect, entries: rest, reds: 0, wholeRun: false });
  }
  const running: RunningProbe[] = [];
  for (const probe of probes) {
    let onto = { commit: state.tip, tree: state.tipTree };
    const links: ChainLink[] = [];
    for (const entry of probe.entries) {
      const applied = await applyEntry({
        git: queue.git,
        cwd: queue.slots.chainPath,
        onto,
        tip: state.tip,
        entry,
        messages: state.messages,
        signal,
      });
      if (applied.type === 'applied') {
        links.push(applied.link);
        onto = { commit: applied.link.commit, tree: applied.link.tree };
      } else if (applied.type === 'conflict') {
        await settleEntry(queue, entry, { type: 'conflict', tip: state.tip, files: applied.files }, signal);
      } else giveBack([entry]);
    }
    const whole = probe.suspect.wholeRun && links.length === probe.suspect.entries.length;
    const entryIds = links.map((link) => link.entry.id);
    const check =
      links.length === 0
        ? null
        : checkHead(
            queue,
            { head: onto.commit, base: state.tip, entryIds, purpose: 'probe', flakyIfPassed: whole },
            signal,
          );
    // awaited after the train; a probe stopped or failing meanwhile must not go unhandled
    check?.catch(() => {});
    running.push({ probe, links, base: state.tip, check });
  }
  return running;
}

/**
 * Reads the probes' results. A pass clears the entries: they land at once when the tip is still the
 * one the probe was built on (the probe's exact tree passed), else they rejoin the train. A failure
 * narrows the suspects down, or blames a lone entry that failed often enough. True when a probe
 * landed: the chain, built on the old tip, must be applied again.
 */
export async function finishProbes(
  queue: QueueContext,
  state: TrainState,
  running: readonly RunningProbe[],
  signal: AbortSignal,
  giveBack: (entries: QueueEntry[]) => void,
): Promise<boolean> {
  let landedAny = false;
  for (const { probe, links, base, check } of running) {
    if (!check) continue;
    const result = await check;
    const entries = links.map((link) => link.entry);
    if (result.passed) {
      for (const entry of entries) state.cleared.add(entry.id);
      const landed = base === state.tip && (await landLinks(queue, state, links, result.checkRunId, signal));
      if (landed) landedAny = true;
      else giveBack(entries);
      continue;
    }
    const reds = probe.suspect.reds + 1;
    const [only] = entries;
    if (only && entries.length === 1 && reds >= 1 + queue.settings.flakyRetries)
      await blameEntry(queue, state, only, result.checkRunId, signal);
    else state.suspects.push({ entries, reds, checkRunId: result.checkRunId, wholeRun: false });
  }
  return landedAny;
}

/** Sends a change that breaks the checks back to its worker, with the run whose output shows it. */
export async function blameEntry(
  queue: QueueContext,
  state: TrainState,
  entry: QueueEntry,
  checkRunId: string,
  signal: AbortSignal,
): Promise<void> {
  // the fix task first: once the entry is settled, nothing would file it after a crash
  await fileFixWhenWorkerGone(queue, entry, checkRunId, signal);
  await settleEntry(queue, entry, { type: 'checks-failed', checkRunId, tip: state.tip }, signal);
  queue.log(`merge queue: ${entry.taskId} breaks the checks (run ${checkRunId})`);
}

// the fix task carries the end of the output, where a failing build says what failed
const fixOutputChars = 20_000;

/**
 * A culprit whose worker is gone (its lease expired while the change waited) would leave the failure
 * unread: it becomes a fix task with the output and the ref that holds the change.
 */
async function fileFixWhenWorkerGone(
  queue: QueueContext,
  entry: QueueEntry,
  checkRunId: string,
  signal: AbortSignal,
): Promise<void> {
  const task = await queue.board.getTask(entry.taskId, { signal });
  if (task.status === 'leased' && task.fence === entry.fence) return;
  const run = await queue.board.getCheckRun(checkRunId, { signal });
  const output = run.output.length > fixOutputChars ? run.output.slice(-fixOutputChars) : run.output;
  const [fix] = await queue.board.createTasks(
    [
      {
        runId: queue.runId,
        kind: 'work',
        title: `Make the change of "${task.title}" pass the checks`.slice(0, 500),
        spec: [
          `The merge queue sent back the change of task ${task.id} because it fails the checks, and its worker is gone.`,
          `The change is commit ${entry.commit} (ref ${entry.ref} on the hub; files: ${entry.files.join(', ')}).`,
          'Apply it, make the checks pass, and land it.',
          '',
          'The original task:',
          task.spec,
          '',
          'Output of the checks:',
          '',
          output,
        ].join('\n'),
        acceptance: task.acceptance,
        scope: task.scope,
        priority: task.priority,
      },
    ],
    { signal },
  );
  queue.log(`merge queue: ${entry.taskId}'s worker is gone; filed ${fix?.id} with the output`);
}
