import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RunSummary } from '../metrics/model-summary.ts';
import type { TrialRecord } from '../trial-record.ts';
import { htmlReport } from './html-report.ts';
import { markdownTable } from './markdown-table.ts';

/** The files of a run directory. */
export const runFiles = {
  trials: 'trials.jsonl',
  summary: 'summary.json',
  markdown: 'report.md',
  html: 'report.html',
} as const;

/** Writes trials as they finish and the summary and reports at the end. */
export interface RunOutput {
  appendTrial(record: TrialRecord): Promise<void>;
  finish(summary: RunSummary): Promise<void>;
}

/** Creates the run directory (with an empty trials.jsonl) and returns its writer. */
export async function createRunOutput(directory: string): Promise<RunOutput> {
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, runFiles.trials), '');
  return {
    async appendTrial(record) {
      await appendFile(path.join(directory, runFiles.trials), `${JSON.stringify(record)}\n`);
    },
    async finish(summary) {
      await writeFile(path.join(directory, runFiles.summary), `${JSON.stringify(summary, null, 2)}\n`);
      await writeFile(path.join(directory, runFiles.markdown), markdownTable(summary));
      await writeFile(path.join(directory, runFiles.html), htmlReport(summary));
    },
  };
}

/** Reads and validates the summary.json of a run directory. */
export async function readRunSummary(directory: string): Promise<RunSummary> {
  const file = path.join(directory, runFiles.summary);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`${directory} is not an eval run directory (no ${runFiles.summary})`);
  }
  const parsed = RunSummary.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a valid run summary: ${parsed.error.message}`);
  return parsed.data;
}
