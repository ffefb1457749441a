import path from 'node:path';
import type { LimitsEnforcement, SandboxConfigInput } from '../../sandbox/index.ts';
import type { RedTeamHost } from './red-team-host.ts';

/** Where one run of one probe happens: the host's canaries, the worktree it attacks from, its marker. */
export interface ProbeTarget {
  host: RedTeamHost;
  /** Real path of this run's worktree (a `git clone --shared` of the fake user checkout). */
  worktree: string;
  /** Unique to this run; every file and process the attack creates carries it in its name. */
  marker: string;
}

/** A file tool call the agent loop makes after the probe's shell script (the checks have no file tools). */
export type FileToolCall =
  | { type: 'read_file'; path: string }
  | { type: 'write_file'; path: string; content: string }
  | { type: 'run_shell'; command: string; workingDirectory: string };

/**
 * What must hold after a run besides the checks every probe gets. `listing-*` read a section the
 * script printed between `BEGIN <name>` and `END <name>` (see `probeScript`).
 */
export type ProbeExpectation =
  | { type: 'listing-empty'; section: string }
  | { type: 'listing-within'; section: string; allowed: readonly string[] }
  | { type: 'output-includes'; text: string; why: string }
  /** The attempt with this label must fail: its success alone is the escape (a remount, a write to /proc/sys). */
  | { type: 'attempt-fails'; label: string }
  /** The largest `<label> <number>` the output shows stays below `limit` (a hog's progress lines). */
  | { type: 'counter-below'; label: string; limit: number; unit: string }
  | { type: 'worktree-files-at-most'; bytes: number }
  | { type: 'finished-within'; milliseconds: number };

/** One attack, run through the agent loop and as a test file the checks run. */
export interface RedTeamProbe {
  /** Kebab-case; names the probe's worktree and its row in the table. */
  name: string;
  /** What the attack tries, for the table. */
  attack: string;
  /** The body of the bash script (after `probeScript`'s prelude); host paths come from the target. */
  script(target: ProbeTarget): string;
  /** Plants what the attack starts from (a symlink to a canary) in the worktree before it runs. */
  prepare?(target: ProbeTarget): Promise<void>;
  fileToolCalls?(target: ProbeTarget): FileToolCall[];
  expectations?(target: ProbeTarget): ProbeExpectation[];
  /** Settings over the defaults (limits, network); the same for both ways of running. */
  sandbox?(target: ProbeTarget): SandboxConfigInput;
  timeoutMilliseconds?: number;
  /**
   * Limits without which the attack would hurt the machine running the suite (a fork bomb with no
   * process limit); where one is not enforced the probe is not run and is reported as escaped.
   */
  requiredLimits?: readonly (keyof LimitsEnforcement)[];
}

/** A host path spelled relative to the worktree (`../../board.db`): the way an attack climbs out with `..`. */
export function pathFromWorktree(target: ProbeTarget, hostPath: string): string {
  return path.relative(target.worktree, hostPath);
}
