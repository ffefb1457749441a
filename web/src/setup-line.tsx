import type { RunOverview } from '../../src/server/index.ts';

const seconds = (milliseconds: number | null) =>
  milliseconds === null ? '—' : `${(milliseconds / 1000).toFixed(1)} s`;

/** How the run's worktrees were made ready: template hits and misses, times, alarming when setup fails. */
export function SetupLine({ setup }: { setup: RunOverview['setup'] }) {
  if (!setup) return null;
  const failing = setup.paused ?? (setup.consecutiveFailures > 0 ? setup.lastFailure : null);
  return (
    <ul className="sandboxes" data-testid="setup">
      <li className="muted">
        worktree setup: {setup.ready} ready · {setup.templateBuilds} template built · {setup.templateHits}{' '}
        template hits · {setup.ownSetups} own setups · p50 {seconds(setup.readyMsP50)}, max{' '}
        {seconds(setup.readyMsMax)}
      </li>
      {failing ? (
        <li className="alarm">
          setup failing{setup.paused ? ' — run paused' : ` (${setup.consecutiveFailures} in a row)`}:{' '}
          {failing}
        </li>
      ) : null}
    </ul>
  );
}
