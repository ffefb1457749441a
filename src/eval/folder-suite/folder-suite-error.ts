import type { z } from 'zod';

/** Where a problem in a suite folder is: the file, the line (for samples.jsonl) and the key. */
export interface FolderSuiteProblem {
  file: string;
  line?: number;
  key?: string;
  message: string;
}

function locate(problem: FolderSuiteProblem): string {
  const at = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return problem.key === undefined || problem.key === '' ? at : `${at}: ${problem.key}`;
}

/** A suite folder that cannot be loaded; the message names the file, line and key of every problem. */
export class FolderSuiteError extends Error {
  readonly problems: readonly FolderSuiteProblem[];
  constructor(problems: readonly FolderSuiteProblem[]) {
    super(problems.map((problem) => `${locate(problem)}: ${problem.message}`).join('\n'));
    this.name = 'FolderSuiteError';
    this.problems = problems;
  }
}

/** A zod path as people write it: `scorers[0].type`. */
export function keyOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** The problems of a failed zod parse, each at its key (an unknown key is named itself). */
export function problemsOf(error: z.ZodError, file: string, line?: number): FolderSuiteProblem[] {
  return error.issues.flatMap((issue) => {
    const at = (key: string, message: string): FolderSuiteProblem => ({
      file,
      ...(line === undefined ? {} : { line }),
      key,
      message,
    });
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((name) => at(keyOf([...issue.path, name]), 'unknown key'));
    return [at(keyOf(issue.path), issue.message)];
  });
}
