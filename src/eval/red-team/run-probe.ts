import { execFile } from 'node:child_process';
import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Sandbox, SandboxConfig, type SandboxConfigInput } from '../../sandbox/index.ts';
import { eventually, processIdsWithCommandLine } from '../../tools/testing/process-table.ts';
import {
  compareHostSnapshots,
  type HostSnapshot,
  restoreSysctls,
  takeHostSnapshot,
} from './host-snapshot.ts';
import { judgeProbe, type ProbeFinding } from './judge-probe.ts';
import type { ProbeTarget, RedTeamProbe } from './probe-definition.ts';
import { type ProbeRun, type ProbeVia, runProbeInAgentLoop, runProbeInChecks } from './probe-runners.ts';
import type { RedTeamHost } from './red-team-host.ts';

/** One probe run one way, and what the judge found. */
export interface ProbeReport {
  probe: RedTeamProbe;
  run: ProbeRun;
  findings: ProbeFinding[];
}

/** Options of runProbe. */
export interface RunProbeOptions {
  /** Settings laid over the probe's own (the suite's control runs it unsandboxed). */
  sandboxOverride?: SandboxConfigInput;
}

// Processes of a run that ended are gone at once (the pid namespace goes with it); allow a moment.
const survivorGraceMilliseconds = 3_000;
const hostCheckMilliseconds = 5_000;

/**
 * Runs a probe in a fresh worktree: plants what it needs, snapshots the host, runs it, waits for its
 * processes to go, snapshots again and judges. Whatever an escape left behind (a changed kernel
 * setting, a process, a file named with the run's marker) is undone before it returns.
 */
export async function runProbe(
  probe: RedTeamProbe,
  via: ProbeVia,
  host: RedTeamHost,
  sandbox: Sandbox,
  options: RunProbeOptions = {},
): Promise<ProbeReport> {
  const unenforced = await unenforcedLimits(probe, sandbox);
  if (unenforced.length > 0) return notRun(probe, via, unenforced);
  const marker = `${host.marker}-${probe.name}-${via}`;
  const worktree = await host.createWorktree(`${probe.name}-${via}`);
  const target = { host, worktree, marker };
  const runnable = withOverride(probe, options.sandboxOverride);
  let leftovers: string[] = [];
  try {
    await probe.prepare?.(target);
    const before = await takeHostSnapshot(target);
    const run =
      via === 'agent-loop'
        ? await runProbeInAgentLoop(runnable, target, sandbox)
        : await runProbeInChecks(runnable, target, sandbox);
    const aftermath = await judgeAftermath(probe, target, before, run);
    leftovers = aftermath.markedEntries;
    // The table goes to CI logs and docs: a secret that did leak is named there, never shown.
    const outcomeLines = run.outcomeLines.map((line) => redact(line, host));
    return { probe, run: { ...run, outcomeLines }, findings: aftermath.findings };
  } finally {
    if (!(await host.standIn.runsUnharmed())) killQuietly(host.standIn.pid, 'SIGCONT');
    await Promise.all(leftovers.map((entry) => rm(entry, { recursive: true, force: true })));
    await rm(worktree, { recursive: true, force: true });
  }
}

/** Waits for the run's processes to go, compares the host with `before`, puts back kernel settings, judges. */
async function judgeAftermath(
  probe: RedTeamProbe,
  target: ProbeTarget,
  before: HostSnapshot,
  run: ProbeRun,
): Promise<{ findings: ProbeFinding[]; markedEntries: string[] }> {
  const { marker, host } = target;
  const gone = async () => (await processIdsWithCommandLine(marker)).length === 0;
  const survivors = (await eventually(gone, survivorGraceMilliseconds))
    ? []
    : await processIdsWithCommandLine(marker);
  for (const pid of survivors) killQuietly(pid);
  const after = await takeHostSnapshot(target);
  const hostChanges = compareHostSnapshots(before, after);
  await restoreSysctls(hostChanges);
  const findings = judgeProbe({
    run,
    marker,
    secrets: host.secrets,
    expectations: probe.expectations?.(target) ?? [],
    hostChanges,
    survivors,
    standInUnharmed: await host.standIn.runsUnharmed(),
    hostResponsive: await hostStartsProcesses(),
    largestWorktreeFileBytes: await largestFileBytes(target.worktree),
  });
  return { findings, markedEntries: after.markedEntries };
}

function hostStartsProcesses(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('true', { timeout: hostCheckMilliseconds }, (error) => resolve(error === null));
  });
}

function withOverride(probe: RedTeamProbe, override: SandboxConfigInput | undefined): RedTeamProbe {
  if (!override) return probe;
  return { ...probe, sandbox: (target) => ({ ...probe.sandbox?.(target), ...override }) };
}

async function unenforcedLimits(probe: RedTeamProbe, sandbox: Sandbox): Promise<ProbeFinding[]> {
  if (!probe.requiredLimits) return [];
  const status = await sandbox.status(SandboxConfig.parse({}), new AbortController().signal);
  // Unsandboxed or refused: the run itself shows it; there is no limit to ask about.
  if (status.type !== 'sandboxed') return [];
  return probe.requiredLimits.flatMap((limit) => {
    const enforcement = status.limits[limit];
    return enforcement.type === 'not-enforced'
      ? [{ type: 'limit-not-enforced' as const, limit, reason: enforcement.reason }]
      : [];
  });
}

function notRun(probe: RedTeamProbe, via: ProbeVia, findings: ProbeFinding[]): ProbeReport {
  const run = {
    via,
    output: '',
    outcomeLines: ['not run: it would load this machine with no limit to stop it'],
    ending: 'not run',
    durationMs: 0,
  };
  return { probe, run, findings };
}

function redact(line: string, host: RedTeamHost): string {
  return host.secrets.reduce((text, secret) => text.replaceAll(secret.value, `[${secret.label}]`), line);
}

function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** The largest apparent size or allocation of any file under `directory`, `.git` aside. */
async function largestFileBytes(directory: string): Promise<number> {
  let largest = 0;
  for (const name of await readdir(directory).catch(() => [] as string[])) {
    if (name === '.git') continue;
    const entry = path.join(directory, name);
    const status = await lstat(entry).catch(() => null);
    if (status?.isDirectory()) largest = Math.max(largest, await largestFileBytes(entry));
    else if (status?.isFile()) largest = Math.max(largest, status.size, status.blocks * 512);
  }
  return largest;
}
