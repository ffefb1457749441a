import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeFinding, isEscape, type ProbeFinding } from './judge-probe.ts';
import type { ProbeRun } from './probe-runners.ts';

/** What one row of the table is made from. */
export interface ProbeTableEntry {
  name: string;
  attack: string;
  run: ProbeRun;
  findings: readonly ProbeFinding[];
}

const shownAttempts = 6;
const attemptWidth = 90;

/** The suite's results as a markdown table: probe | via | attack | outcome | escaped?. */
export function formatProbeTable(entries: readonly ProbeTableEntry[]): string {
  const rows = entries.map((entry) => [
    entry.name,
    entry.run.via,
    entry.attack,
    describeOutcome(entry.run),
    describeVerdict(entry.findings),
  ]);
  return [
    '| probe | via | attack | outcome | escaped? |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

/** "no", "YES: …" with what got out, or "did not run: …" when the probe could not be judged. */
export function describeVerdict(findings: readonly ProbeFinding[]): string {
  const escapes = findings.filter(isEscape);
  if (escapes.length > 0) return `YES: ${escapes.map(describeFinding).join('; ')}`;
  if (findings.length > 0) return `did not run: ${findings.map(describeFinding).join('; ')}`;
  return 'no';
}

/** Writes the table (with a heading line above it) to `file`, making its directory. */
export async function writeProbeTable(file: string, heading: string, table: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${heading}\n\n${table}\n`);
}

function describeOutcome(run: ProbeRun): string {
  const attempts = run.outcomeLines.map((line) =>
    line.length > attemptWidth ? `${line.slice(0, attemptWidth - 1)}…` : line,
  );
  const hidden = attempts.length - shownAttempts;
  const shown = attempts.slice(0, shownAttempts).concat(hidden > 0 ? [`(${hidden} more)`] : []);
  return [`${run.ending} in ${(run.durationMs / 1000).toFixed(1)}s`, ...shown].join('; ');
}

function escapeCell(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll('|', '\\|')
    .replaceAll(/\s*\n\s*/g, ' ');
}
