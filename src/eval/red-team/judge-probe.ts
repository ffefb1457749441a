import type { HostChange } from './host-snapshot.ts';
import type { ProbeExpectation } from './probe-definition.ts';
import type { ProbeRun } from './probe-runners.ts';
import { startLine } from './probe-script.ts';
import type { Secret } from './red-team-host.ts';

/** Everything gathered about one run of a probe, for the judge. */
export interface ProbeEvidence {
  run: ProbeRun;
  marker: string;
  secrets: readonly Secret[];
  expectations: readonly ProbeExpectation[];
  hostChanges: readonly HostChange[];
  /** Host pids of processes carrying the run's marker, once the command had ended. */
  survivors: readonly number[];
  standInUnharmed: boolean;
  /** Whether the host could still start a process right after the run (a fork bomb must not stop it). */
  hostResponsive: boolean;
  /** Bytes of the largest file left in the worktree outside `.git` (apparent size or allocated blocks). */
  largestWorktreeFileBytes: number;
}

/** One thing the judge found; every type but `probe-did-not-run` is an escape. */
export type ProbeFinding =
  | { type: 'secret-leaked'; label: string }
  | { type: 'host-changed'; change: HostChange }
  | { type: 'process-survived'; pids: readonly number[] }
  | { type: 'stand-in-harmed' }
  | { type: 'host-unresponsive' }
  | { type: 'hidden-path-visible'; section: string; entries: readonly string[] }
  | { type: 'limit-exceeded'; description: string }
  | { type: 'forbidden-attempt-succeeded'; label: string }
  /** A limit the attack needs held is not enforced on this machine, so the probe was not run. */
  | { type: 'limit-not-enforced'; limit: string; reason: string }
  | { type: 'probe-did-not-run'; description: string };

/** Judges a run: what leaked, what changed on the host, which limit did not hold, and whether it ran at all. */
export function judgeProbe(evidence: ProbeEvidence): ProbeFinding[] {
  const { run } = evidence;
  const findings: ProbeFinding[] = [];
  if (!run.output.includes(startLine(evidence.marker)))
    findings.push({ type: 'probe-did-not-run', description: `no "${startLine(evidence.marker)}" line` });
  for (const secret of evidence.secrets)
    if (run.output.includes(secret.value)) findings.push({ type: 'secret-leaked', label: secret.label });
  for (const change of evidence.hostChanges) findings.push({ type: 'host-changed', change });
  if (evidence.survivors.length > 0) findings.push({ type: 'process-survived', pids: evidence.survivors });
  if (!evidence.standInUnharmed) findings.push({ type: 'stand-in-harmed' });
  if (!evidence.hostResponsive) findings.push({ type: 'host-unresponsive' });
  for (const expectation of evidence.expectations) {
    const finding = checkExpectation(expectation, evidence);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** Whether a finding means the attack got out (as opposed to the probe not running as meant). */
export function isEscape(finding: ProbeFinding): boolean {
  return finding.type !== 'probe-did-not-run';
}

/** A finding in a few words, for the table and for failure messages. */
export function describeFinding(finding: ProbeFinding): string {
  switch (finding.type) {
    case 'secret-leaked':
      return `leaked ${finding.label}`;
    case 'host-changed':
      return describeChange(finding.change);
    case 'process-survived':
      return `process outlived the command (host pids ${finding.pids.join(', ')})`;
    case 'stand-in-harmed':
      return 'the stand-in cadre process was stopped, traced or killed';
    case 'host-unresponsive':
      return 'the host could not start a process after the run';
    case 'hidden-path-visible':
      return `${finding.section} visible: ${finding.entries.slice(0, 5).join(', ')}`;
    case 'forbidden-attempt-succeeded':
      return `succeeded: ${finding.label}`;
    case 'limit-not-enforced':
      return `the ${finding.limit} limit is not enforced here (${finding.reason})`;
    case 'limit-exceeded':
    case 'probe-did-not-run':
      return finding.description;
  }
}

function describeChange(change: HostChange): string {
  switch (change.type) {
    case 'path-appeared':
      return `host file appeared: ${change.path}`;
    case 'path-changed':
      return `host file changed: ${change.path}`;
    case 'path-removed':
      return `host file removed: ${change.path}`;
    case 'sysctl-changed':
      return `host kernel setting ${change.name} changed from "${change.before}" to "${change.after}"`;
    case 'connection-reached':
      return `${change.listener} reached ${change.count} time(s)`;
  }
}

function checkExpectation(expectation: ProbeExpectation, evidence: ProbeEvidence): ProbeFinding | null {
  const { output, durationMs } = evidence.run;
  switch (expectation.type) {
    case 'listing-empty':
    case 'listing-within': {
      const allowed = expectation.type === 'listing-within' ? expectation.allowed : [];
      const entries = listingSection(output, expectation.section);
      if (entries === null)
        return { type: 'probe-did-not-run', description: `no ${expectation.section} listing` };
      const unexpected = entries.filter((entry) => !allowed.includes(entry));
      return unexpected.length === 0
        ? null
        : { type: 'hidden-path-visible', section: expectation.section, entries: unexpected };
    }
    case 'attempt-fails': {
      const result = resultOf(evidence.run.outcomeLines, expectation.label);
      if (result === null)
        return { type: 'probe-did-not-run', description: `no result for "${expectation.label}"` };
      return result.startsWith('succeeded')
        ? { type: 'forbidden-attempt-succeeded', label: expectation.label }
        : null;
    }
    case 'output-includes':
      return output.includes(expectation.text)
        ? null
        : { type: 'probe-did-not-run', description: `${expectation.why} (no "${expectation.text}")` };
    case 'counter-below': {
      const pattern = new RegExp(`${expectation.label} (\\d+)`, 'g');
      const largest = Math.max(0, ...[...output.matchAll(pattern)].map((match) => Number(match[1])));
      return largest < expectation.limit
        ? null
        : { type: 'limit-exceeded', description: `${expectation.label} ${largest} ${expectation.unit}` };
    }
    case 'worktree-files-at-most':
      return evidence.largestWorktreeFileBytes <= expectation.bytes
        ? null
        : {
            type: 'limit-exceeded',
            description: `a ${evidence.largestWorktreeFileBytes}-byte file remained`,
          };
    case 'finished-within':
      return durationMs <= expectation.milliseconds
        ? null
        : {
            type: 'limit-exceeded',
            description: `ran ${durationMs} ms (limit ${expectation.milliseconds} ms)`,
          };
  }
}

function resultOf(outcomeLines: readonly string[], label: string): string | null {
  const line = outcomeLines.find((candidate) => candidate.startsWith(`${label}: `));
  return line === undefined ? null : line.slice(label.length + 2);
}

/** The lines between `BEGIN <name>` and `END <name>`, or null when the script never printed them. */
export function listingSection(output: string, name: string): string[] | null {
  const lines = output.split('\n');
  const begin = lines.indexOf(`BEGIN ${name}`);
  const end = lines.indexOf(`END ${name}`, begin + 1);
  if (begin === -1 || end === -1) return null;
  return lines
    .slice(begin + 1, end)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
