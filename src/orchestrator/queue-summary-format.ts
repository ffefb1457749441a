import type { QueueBounceType, QueueSummary } from './queue-summary.ts';

const bounceWords: Record<QueueBounceType, string> = {
  'checks-failed': 'failing the checks',
  conflict: 'conflicting',
  'stale-fence': 'lease lost',
  'already-on-branch': 'already on the branch',
  'already-landed': 'already landed',
  withdrawn: 'withdrawn',
};

const short = (commit: string) => commit.slice(0, 10);
const count = (number: number, one: string, many: string) => `${number} ${number === 1 ? one : many}`;

/**
 * The summary as status lines: counts first, then the branch's check record, loud when the tip is
 * red, the queue holds, or a pushed commit has no green check run.
 */
export function formatQueueSummary(summary: QueueSummary): string {
  const bounces = Object.entries(bounceWords)
    .map(([type, words]) => [summary.bounced[type as QueueBounceType], words] as const)
    .filter(([number]) => number > 0);
  const bounced = bounces.reduce((total, [number]) => total + number, 0);
  const runs = summary.checkRuns;
  const lines = [
    `merge queue: ${summary.depth} queued, ${summary.landed} landed, ${bounced} bounced` +
      (bounces.length > 0 ? ` (${bounces.map(([number, words]) => `${number} ${words}`).join(', ')})` : '') +
      `; check runs: ${runs.total} (${runs.passed} passed, ${runs.failed} failed, ${runs.timedOut} timed out, ` +
      `${runs.flaky} flaky)`,
  ];
  const { lastPush } = summary;
  if (lastPush) {
    const record =
      summary.pushedWithoutGreenRun === 0
        ? `every push (${summary.pushes}) has a green check run`
        : `PUSHED WITHOUT A GREEN CHECK RUN: ${summary.pushedWithoutGreenRun} of ${summary.pushes} pushes`;
    const run = lastPush.greenCheckRunId
      ? `green check run ${lastPush.greenCheckRunId}`
      : 'NO green check run';
    lines.push(
      `  last push ${short(lastPush.commit)} (${count(lastPush.entries, 'change', 'changes')}), ${run}; ${record}`,
    );
  }
  const { redTip } = summary;
  if (redTip)
    lines.push(
      `  RED TIP ${short(redTip.tip)} from outside the queue fails the checks (check run ${redTip.checkRunId}); ` +
        `fix task ${redTip.fixTaskId ?? 'none'}, queue ${redTip.action === 'hold' ? 'holds' : 'goes on'}`,
    );
  if (summary.held) lines.push(`  QUEUE HELD: ${summary.held}`);
  return lines.join('\n');
}
