import { execFile } from 'node:child_process';
import { access, constants, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineAdapter } from './engine-adapter.ts';

/** An engine's program, found and recent enough. */
export interface EngineProgram {
  /** The program as it is run (a real path). */
  path: string;
  version: string;
  /** Host directories the sandbox must show read-only for the program to run: its install. */
  mountPaths: string[];
}

/** Whether an engine's program can run here, and what to do when it cannot. */
export type EngineProgramLookup =
  | { type: 'found'; program: EngineProgram }
  | { type: 'missing'; message: string }
  | { type: 'too-old'; version: string; message: string }
  | { type: 'unreadable'; message: string };

// cadre's own package root: its node_modules/.bin holds the engines installed beside it
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Finds an engine's program: the configured path or name, else its name in cadre's own
 * node_modules/.bin, else on PATH; then asks its version. The version probe runs the installed
 * program itself (no agent wrote it) with an empty environment and a short timeout.
 */
export async function findEngineProgram(
  adapter: EngineAdapter,
  configured: string | undefined,
  signal: AbortSignal,
): Promise<EngineProgramLookup> {
  const candidates = configured?.includes('/')
    ? [path.resolve(configured)]
    : [
        path.join(packageRoot, 'node_modules', '.bin', configured ?? adapter.programName),
        ...(process.env.PATH ?? '')
          .split(':')
          .filter(Boolean)
          .map((directory) => path.join(directory, configured ?? adapter.programName)),
      ];
  let found: string | null = null;
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) {
      found = await realpath(candidate);
      break;
    }
  }
  if (found === null)
    return {
      type: 'missing',
      message: `engine ${adapter.name}: its program "${configured ?? adapter.programName}" is not installed; install it with \`npm install ${adapter.packageName}\` (version ${adapter.minimumVersion} or later), or set engines.${adapter.name}.program to its path`,
    };
  const printed = await printVersion(found, adapter.versionArgs, signal);
  if (printed.type === 'failed')
    return {
      type: 'unreadable',
      message: `engine ${adapter.name}: \`${found} ${adapter.versionArgs.join(' ')}\` failed: ${printed.message}`,
    };
  const version = adapter.parseVersion(printed.output);
  if (version === null)
    return {
      type: 'unreadable',
      message: `engine ${adapter.name}: cannot read a version in what \`${found} ${adapter.versionArgs.join(' ')}\` printed (${printed.output.trim().slice(0, 200)})`,
    };
  if (compareVersions(version, adapter.minimumVersion) < 0)
    return {
      type: 'too-old',
      version,
      message: `engine ${adapter.name}: ${found} is version ${version}, older than ${adapter.minimumVersion}; upgrade with \`npm install ${adapter.packageName}@latest\``,
    };
  return { type: 'found', program: { path: found, version, mountPaths: [installRoot(found)] } };
}

/** Compares dotted versions numerically (`2.1.328` > `2.1.99`); missing parts count as 0. */
export function compareVersions(left: string, right: string): number {
  const a = left.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const b = right.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

// a program inside node_modules may run files of sibling packages (codex.js starts its platform
// binary), so the whole node_modules is shown; elsewhere, the program's own directory
function installRoot(programPath: string): string {
  const parts = programPath.split(path.sep);
  const index = parts.lastIndexOf('node_modules');
  return index > 0 ? parts.slice(0, index + 1).join(path.sep) : path.dirname(programPath);
}

async function isExecutable(candidate: string): Promise<boolean> {
  try {
    await access(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function printVersion(
  program: string,
  args: readonly string[],
  signal: AbortSignal,
): Promise<{ type: 'printed'; output: string } | { type: 'failed'; message: string }> {
  return new Promise((resolve) => {
    execFile(
      program,
      [...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' }, timeout: 20_000, signal },
      (error, stdout, stderr) => {
        if (error)
          resolve({
            type: 'failed',
            message: `${error.message}${stderr ? `: ${stderr.trim().slice(0, 300)}` : ''}`,
          });
        else resolve({ type: 'printed', output: `${stdout}${stderr}` });
      },
    );
  });
}
