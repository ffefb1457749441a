import { succeeded } from './past-calls.ts';
import { callTools, type RoleContext, type RoleTurn } from './role-turn.ts';

/** The cycle at which the role-playing judge stops a run (unless the run's own limit comes first). */
export const defaultStopAtCycle = 2;

/**
 * The judge's rule, stated once: continue exactly when the briefing's cycle is below both
 * `stopAtCycle` and the run's cycle limit — with the default, cycle 1 continues and cycle 2 stops.
 */
export function judgeContinues(cycle: number, maxCycles: number, stopAtCycle = defaultStopAtCycle): boolean {
  return cycle < stopAtCycle && cycle < maxCycles;
}

/** The first file the cycle changed, from a `git diff --stat` (`src/a.ts | 5 +++++`); null when none. */
export function firstChangedFile(diffStat: string): string | null {
  for (const line of diffStat.split('\n')) {
    const match = /^\s*(\S+)\s+\|\s+\d+/.exec(line);
    if (match && !match[1]?.includes('...')) return match[1] ?? null;
  }
  return null;
}

/** A judge that reads one changed file (or lists the root), then submits its verdict by the rule above. */
export function playJudge(context: RoleContext, stopAtCycle = defaultStopAtCycle): RoleTurn {
  const { briefing: facts, calls, offered } = context;
  if (facts?.type !== 'judge') return { type: 'text', text: 'I cannot find the cycle I am to judge.' };
  if (succeeded(calls, 'submit_verdict').length > 0) return { type: 'text', text: 'Verdict submitted.' };
  const looked = calls.some((call) => ['read_file', 'list_dir'].includes(call.name) && call.output !== null);
  const changed = firstChangedFile(facts.diffStat);
  if (!looked && changed !== null && offered.has('read_file'))
    return callTools(`Reading ${changed}.`, { name: 'read_file', input: { path: changed } });
  if (!looked && offered.has('list_dir'))
    return callTools('Looking at the repository.', { name: 'list_dir', input: { path: '.' } });
  const { done, failed, open } = facts.tasks;
  const carry = judgeContinues(facts.cycle, facts.maxCycles, stopAtCycle);
  const verdict = {
    continue: carry,
    score: done + failed + open === 0 ? 0 : Number((done / (done + failed + open)).toFixed(2)),
    reasons: [
      `cycle ${facts.cycle}: ${done} tasks done, ${failed} failed, ${open} open; ${facts.commits.length} commits landed`,
      carry
        ? `cycle ${facts.cycle} is below ${stopAtCycle}: another cycle runs`
        : `cycle ${facts.cycle} ends the run`,
    ],
    next_focus: carry ? ['add the next helper module in each area'] : [],
  };
  return callTools(`Submitting my verdict: ${carry ? 'continue' : 'stop'}.`, {
    name: 'submit_verdict',
    input: verdict,
  });
}
