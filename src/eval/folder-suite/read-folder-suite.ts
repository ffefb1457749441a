import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SimulatedCall } from '../sim/simulation-plan.ts';
import type { Sample } from '../suite.ts';
import { FolderSuiteError, type FolderSuiteProblem, problemsOf } from './folder-suite-error.ts';
import { SampleLine, type ScorerSpec, SuiteFile } from './folder-suite-schema.ts';

/** The file that describes a folder suite. */
export const suiteFileName = 'suite.json';
/** The file that holds a folder suite's samples, one JSON object a line. */
export const samplesFileName = 'samples.jsonl';

/** One sample of a folder suite with what only the folder loader needs. */
export interface FolderSample {
  sample: Sample;
  /** Absolute path of the sample's context directory, or null when it has none. */
  contextDirectory: string | null;
  scorers: ScorerSpec[];
  simulatedCalls: SimulatedCall[];
}

async function readText(file: string, label: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new FolderSuiteError([{ file: label, message: `cannot read it: ${(error as Error).message}` }]);
  }
}

/** Reads and validates `suite.json` of a suite folder. */
export async function readSuiteFile(folder: string): Promise<SuiteFile> {
  const file = path.join(folder, suiteFileName);
  let json: unknown;
  try {
    json = JSON.parse(await readText(file, file));
  } catch (error) {
    if (error instanceof FolderSuiteError) throw error;
    throw new FolderSuiteError([{ file, message: `not valid JSON: ${(error as Error).message}` }]);
  }
  const parsed = SuiteFile.safeParse(json);
  if (!parsed.success) throw new FolderSuiteError(problemsOf(parsed.error, file));
  return parsed.data;
}

/**
 * A path the suite names, resolved and proven to stay inside the folder (symlinks included), or a problem.
 * The schema already refused `..`; realpath catches a link that leads out.
 */
async function insideFolder(
  folder: string,
  relative: string,
  kind: 'file' | 'directory',
): Promise<string | { message: string }> {
  const root = await realpath(folder);
  let resolved: string;
  try {
    resolved = await realpath(path.join(root, relative));
  } catch {
    return { message: `no such ${kind} in the suite folder: ${relative}` };
  }
  if (resolved !== root && !resolved.startsWith(root + path.sep))
    return { message: `${relative} leads outside the suite folder` };
  const status = await stat(resolved);
  if (kind === 'directory' ? !status.isDirectory() : !status.isFile())
    return { message: `${relative} is not a ${kind}` };
  return resolved;
}

/** The solver's system prompt: inline, or read from the file `solver.systemFile` names. */
export async function readSystemPrompt(folder: string, suite: SuiteFile): Promise<string> {
  if (suite.solver.system !== undefined) return suite.solver.system;
  const file = path.join(folder, suiteFileName);
  const found = await insideFolder(folder, suite.solver.systemFile ?? '', 'file');
  if (typeof found !== 'string') throw new FolderSuiteError([{ file, key: 'solver.systemFile', ...found }]);
  const text = (await readFile(found, 'utf8')).trim();
  if (text === '')
    throw new FolderSuiteError([{ file, key: 'solver.systemFile', message: `${found} is empty` }]);
  return text;
}

/** Reads and validates `samples.jsonl`; every problem names its line and key, and all are reported at once. */
export async function readSamples(folder: string, suite: SuiteFile): Promise<FolderSample[]> {
  const file = path.join(folder, samplesFileName);
  const lines = (await readText(file, file)).split(/\r?\n/);
  const problems: FolderSuiteProblem[] = [];
  const samples: FolderSample[] = [];
  const seen = new Map<string, number>();
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push({ file, line, message: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = SampleLine.safeParse(json);
    if (!parsed.success) {
      problems.push(...problemsOf(parsed.error, file, line));
      continue;
    }
    const item = parsed.data;
    const earlier = seen.get(item.id);
    if (earlier !== undefined)
      problems.push({ file, line, key: 'id', message: `"${item.id}" is already the id of line ${earlier}` });
    seen.set(item.id, line);
    const scorers = item.scorers ?? suite.scorers;
    if (scorers.some((spec) => spec.type === 'numeric') && !/-?\d/.test(item.reference))
      problems.push({ file, line, key: 'reference', message: 'a numeric scorer needs a number here' });
    let contextDirectory: string | null = null;
    if (item.context !== undefined) {
      const found = await insideFolder(folder, item.context, 'directory');
      if (typeof found === 'string') contextDirectory = found;
      else problems.push({ file, line, key: 'context', ...found });
    }
    samples.push({
      sample: {
        id: item.id,
        taskType: item.taskType,
        input: item.input,
        context: {},
        reference: item.reference,
        hiddenFacts: [...(suite.user?.facts ?? []), ...item.hiddenFacts],
      },
      contextDirectory,
      scorers,
      simulatedCalls: item.simulatedCalls,
    });
  }
  if (problems.length === 0 && samples.length === 0)
    problems.push({ file, message: 'has no samples (one JSON object a line)' });
  if (problems.length > 0) throw new FolderSuiteError(problems);
  return samples;
}
