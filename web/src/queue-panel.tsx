import type { RunOverview } from '../../src/server/index.ts';
import { formatTime, shortId } from './format.ts';

type QueueSummary = NonNullable<RunOverview['queue']>;

const shortCommit = (commit: string) => commit.slice(0, 10);

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** The branch's check record: the last push and its green run, alarming on a red tip or a push without one. */
function BranchLines({ queue }: { queue: QueueSummary }) {
  const { lastPush, redTip } = queue;
  return (
    <ul className="sandboxes">
      {lastPush ? (
        <li className={lastPush.greenCheckRunId ? 'muted' : 'alarm'}>
          last push <code>{shortCommit(lastPush.commit)}</code> at {formatTime(lastPush.at)} ·{' '}
          {lastPush.entries} change{lastPush.entries === 1 ? '' : 's'} ·{' '}
          {lastPush.greenCheckRunId ? `green check run ${lastPush.greenCheckRunId}` : 'NO green check run'}
        </li>
      ) : (
        <li className="muted">nothing pushed yet</li>
      )}
      {queue.pushedWithoutGreenRun > 0 ? (
        <li className="alarm">
          pushed without a green check run: {queue.pushedWithoutGreenRun} of {queue.pushes} pushes
        </li>
      ) : null}
      {redTip ? (
        <li className="alarm" data-testid="red-tip">
          red tip <code>{shortCommit(redTip.tip)}</code> from outside the queue fails the checks · fix task{' '}
          {shortId(redTip.fixTaskId)} · queue {redTip.action === 'hold' ? 'holds' : 'goes on'}
        </li>
      ) : null}
      {queue.held ? <li className="warning">queue held: {queue.held}</li> : null}
    </ul>
  );
}

/** The run's merge queue: depth, landings, bounces by reason, check runs, and the branch's check record. */
export function QueuePanel({ queue }: { queue: RunOverview['queue'] }) {
  if (!queue) return null;
  const bounces = Object.entries(queue.bounced).filter(([, count]) => count > 0);
  const runs = queue.checkRuns;
  return (
    <section className="card" data-testid="merge-queue">
      <h3>Merge queue</h3>
      <dl className="counts">
        <Count label="queued" value={queue.depth} />
        <Count label="landed" value={queue.landed} />
        <Count label="bounced" value={bounces.reduce((total, [, count]) => total + count, 0)} />
        <Count label="check runs" value={runs.total} />
      </dl>
      {bounces.length > 0 ? (
        <p className="muted">
          bounced: {bounces.map(([type, count]) => `${count} ${type.replaceAll('-', ' ')}`).join(' · ')}
        </p>
      ) : null}
      <p className="muted">
        checks: {runs.passed} passed · {runs.failed} failed · {runs.timedOut} timed out · {runs.flaky} flaky
      </p>
      <BranchLines queue={queue} />
    </section>
  );
}
