import { access, constants, mkdir, stat } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { SetupSettings } from './setup-settings.ts';

/** One thing wrong with `workspace.setup`, keyed by where it is in the config. */
export interface SetupProblem {
  key: string;
  message: string;
}

// words bash runs without a program: a setup may start with any of them
const shellWords = new Set(
  '. : [ [[ ! time alias builtin case cd command declare echo eval exec export false for function if printf pwd read set shopt source test true type ulimit umask unset while until {'.split(
    ' ',
  ),
);

/**
 * Checks the setup before a run starts: every command's program exists (on PATH, in the repository,
 * or as a shell builtin), every reuse file exists in the repository, and the cache directories exist
 * (they are created when missing). A run with a broken setup would otherwise fail every task.
 */
export async function checkSetupSettings(
  settings: SetupSettings,
  /** The checkout the run starts from; null on a joined worker, which has none yet. */
  repository: string | null,
): Promise<SetupProblem[]> {
  const problems: SetupProblem[] = [];
  for (const [index, command] of settings.commands.entries()) {
    const problem = await checkCommandProgram(command, `workspace.setup.commands[${index}]`, repository);
    if (problem) problems.push(problem);
  }
  for (const [index, file] of (settings.reuseFiles ?? []).entries()) {
    if (repository !== null && !(await stat(join(repository, file)).catch(() => null)))
      problems.push({
        key: `workspace.setup.reuseFiles[${index}]`,
        message: `"${file}" does not exist in ${repository}; name files of the repository (its lock files), or leave reuseFiles out to use the lock files present`,
      });
  }
  for (const [index, cache] of settings.caches.entries()) {
    await mkdir(cache.path, { recursive: true }).catch((error: unknown) =>
      problems.push({
        key: `workspace.setup.caches[${index}].path`,
        message: `cannot create ${cache.path}: ${(error as Error).message}`,
      }),
    );
  }
  return problems;
}

/**
 * Whether the program a command line starts with exists (on PATH, in the repository, or as a shell
 * builtin); a problem under `key` when it does not. Lines that start otherwise are left to the shell.
 */
export async function checkCommandProgram(
  command: string,
  key: string,
  repository: string | null,
): Promise<SetupProblem | null> {
  const program = programOf(command);
  if (program === null || shellWords.has(program)) return null;
  if (await programExists(program, repository ?? process.cwd())) return null;
  return {
    key,
    message: `"${program}" (from \`${command}\`) is neither a program on PATH, a file in the repository, nor a shell builtin; install it or fix the command`,
  };
}

/**
 * The program a command line starts with, after an opening `(`, `{` or `!` and any `NAME=value`
 * assignments (quoted values included); null when there is none or it is not a plain word (quoted,
 * expanded): those are left to the shell to judge.
 */
export function programOf(command: string): string | null {
  const assignment = /^[A-Za-z_]\w*=(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s'"])*\s*/;
  let rest = command.trimStart().replace(/^[({!]\s*/, '');
  for (let match = assignment.exec(rest); match; match = assignment.exec(rest))
    rest = rest.slice(match[0].length);
  const word = /^[^\s;&|()<>]+/.exec(rest)?.[0];
  if (!word || !/^[\w./+@%:,-]+$/.test(word)) return null;
  return word;
}

async function programExists(program: string, repository: string): Promise<boolean> {
  if (program.includes('/')) return isExecutable(isAbsolute(program) ? program : join(repository, program));
  const directories = [dirname(process.execPath), ...(process.env.PATH ?? '').split(delimiter)].filter(
    Boolean,
  );
  for (const directory of directories) {
    if (await isExecutable(join(directory, program))) return true;
  }
  return false;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}
