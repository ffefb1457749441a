import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Git } from '../workspace/index.ts';

/** The areas of the demo repository; the simulated root planner hands each to a sub-planner. */
export const demoAreas = ['api', 'core', 'storage', 'ui'] as const;

/** Options of createDemoRepository. */
export interface DemoRepositoryOptions {
  directory: string;
  git: Git;
  signal: AbortSignal;
  areas?: readonly string[];
}

/**
 * Writes a small TypeScript project with one directory per area (each with an `index.ts` the
 * simulated workers export from) and commits it, as the scratch repository of `cadre demo`,
 * the end-to-end tests and `cadre bench fleet`.
 */
export async function createDemoRepository(options: DemoRepositoryOptions): Promise<string> {
  const { directory, git, signal } = options;
  const areas = options.areas ?? demoAreas;
  await mkdir(directory, { recursive: true });
  await writeFile(
    join(directory, 'README.md'),
    '# cadre demo project\n\nA scratch repository made by `cadre demo`. A simulated fleet adds modules to it.\n',
  );
  for (const area of areas) {
    await mkdir(join(directory, 'src', area), { recursive: true });
    await writeFile(
      join(directory, 'src', area, 'index.ts'),
      `// The ${area} area.\nexport const area = '${area}';\n`,
    );
  }
  await git(['init', '--quiet', '--initial-branch=main'], { cwd: directory, signal });
  await git(['add', '--all'], { cwd: directory, signal });
  await git(['commit', '--quiet', '--message', 'Start the demo project'], { cwd: directory, signal });
  return directory;
}
