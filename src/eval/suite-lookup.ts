import path from 'node:path';
import { createFolderSuiteDefinition, findSuiteFolders, isSuiteFolder } from './folder-suite/folder-suite.ts';
import { FolderSuiteError } from './folder-suite/folder-suite-error.ts';
import { suiteFileName } from './folder-suite/read-folder-suite.ts';
import type { SuiteDefinition } from './suite.ts';
import { createSuiteRegistry } from './suite-registry.ts';

/** Where to look for suites besides the built-in ones. */
export interface SuiteLookupOptions {
  /** Relative folder paths are resolved against it. */
  cwd: string;
  /** A directory of folder suites (or one suite folder) whose suites are known by name. */
  suiteDirectory?: string;
}

/** One suite `eval` can run: its definition, and its folder when it is a folder suite. */
export interface SuiteEntry {
  definition: SuiteDefinition;
  folder: string | null;
}

/** The result of looking a suite up by name or folder. */
export type SuiteLookup = { type: 'found'; entry: SuiteEntry } | { type: 'unknown'; known: string[] };

/**
 * The built-in suites, then the folder suites of `suiteDirectory`. A folder suite may not take a name
 * already taken: running `--suite NAME` must never depend on which of two suites was found first.
 */
export async function listSuites(options: SuiteLookupOptions): Promise<SuiteEntry[]> {
  const entries: SuiteEntry[] = [...createSuiteRegistry().values()].map((definition) => ({
    definition,
    folder: null,
  }));
  if (options.suiteDirectory === undefined) return entries;
  for (const folder of await findSuiteFolders(path.resolve(options.cwd, options.suiteDirectory))) {
    const entry: SuiteEntry = { definition: await createFolderSuiteDefinition(folder), folder };
    const taken = entries.find((other) => other.definition.name === entry.definition.name);
    if (taken !== undefined)
      throw new FolderSuiteError([
        {
          file: path.join(folder, suiteFileName),
          key: 'name',
          message: `"${entry.definition.name}" is already the name of ${taken.folder === null ? 'a built-in suite' : `the suite in ${taken.folder}`}`,
        },
      ]);
    entries.push(entry);
  }
  return entries;
}

/** A suite by name (built-in or in `suiteDirectory`), or by the path of its folder. */
export async function lookUpSuite(nameOrFolder: string, options: SuiteLookupOptions): Promise<SuiteLookup> {
  const entries = await listSuites(options);
  const named = entries.find((entry) => entry.definition.name === nameOrFolder);
  if (named !== undefined) return { type: 'found', entry: named };
  const folder = path.resolve(options.cwd, nameOrFolder);
  if (isSuiteFolder(folder))
    return { type: 'found', entry: { definition: await createFolderSuiteDefinition(folder), folder } };
  return { type: 'unknown', known: entries.map((entry) => entry.definition.name) };
}

/** The suites as `eval list` shows them; folder suites say where they are. */
export function suiteListing(
  entries: readonly SuiteEntry[],
): Array<{ name: string; description: string; folder?: string }> {
  return entries.map(({ definition, folder }) => ({
    name: definition.name,
    description: definition.description,
    ...(folder === null ? {} : { folder }),
  }));
}
