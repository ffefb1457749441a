import { randomBytes } from 'node:crypto';
import { mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Sandbox, SandboxConfig } from '../../sandbox/index.ts';
import { type Git, gitText } from '../git/run-git.ts';
import { runSetup } from './run-setup.ts';
import type { ReadyReport } from './setup-report.ts';
import { type SetupSettings, ShareMode } from './setup-settings.ts';
import { protectSharedFiles } from './share-files.ts';

/** What a published template records: written last, inside the directory that is renamed into place. */
export const TemplateRecord = z.object({
  key: z.string(),
  /** Paths (relative to the worktree root) the setup created: what each worktree gets. */
  paths: z.array(z.string()),
  share: ShareMode,
  setupMs: z.number(),
  builtAt: z.int(),
  output: z.string(),
});
/** What a published template records. */
export type TemplateRecord = z.infer<typeof TemplateRecord>;

/** A template to share from (`built` when this call ran the setup), or why there is none. */
export type TemplateOutcome =
  | { type: 'ready'; record: TemplateRecord; built: boolean }
  | Extract<ReadyReport, { type: 'failed' }>;

const recordFile = 'ready.json';

/** The checkout inside a template directory whose created paths worktrees get. */
export function templateTree(root: string, key: string): string {
  return join(root, key, 'tree');
}

/** The record of the published template of `key`; null when there is none (or only a partial one). */
export async function readTemplateRecord(root: string, key: string): Promise<TemplateRecord | null> {
  try {
    const text = await readFile(join(root, key, recordFile), 'utf8');
    return TemplateRecord.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

/** What building a template needs; the caller holds the template's lock. */
export interface BuildTemplateRequest {
  root: string;
  key: string;
  /** The worktree whose checkout the template is cloned from. */
  source: string;
  settings: SetupSettings;
  sandbox: Sandbox;
  setupConfig: SandboxConfig;
  share: ShareMode;
  git: Git;
  clock: () => number;
  signal: AbortSignal;
}

/**
 * Clones the source checkout into `<key>.partial-*`, runs the setup there in the sandbox, records
 * what it created and renames the directory into place: a crash at any point leaves only a partial
 * directory, which is never used.
 */
export async function buildTemplate(request: BuildTemplateRequest): Promise<TemplateOutcome> {
  const { root, key, git, signal } = request;
  const partial = join(root, `${key}.partial-${randomBytes(4).toString('hex')}`);
  const tree = join(partial, 'tree');
  try {
    await mkdir(partial, { recursive: true });
    const clone = ['clone', '--quiet', '--shared', '--no-tags', '--config=core.hooksPath=/dev/null'];
    await git([...clone, request.source, tree], { cwd: root, signal });
    const setup = await runSetup(
      request.settings,
      request.sandbox,
      request.setupConfig,
      await realpath(tree),
      signal,
    );
    if (setup.type === 'failed') {
      await rm(partial, { recursive: true, force: true });
      return { type: 'failed', key, setupMs: setup.durationMs, reason: setup.reason, output: setup.output };
    }
    const paths = await createdPaths(git, tree, signal);
    if (request.share === 'hardlink') await protectSharedFiles(tree, paths, signal);
    const record: TemplateRecord = {
      key,
      paths,
      share: request.share,
      setupMs: setup.durationMs,
      builtAt: request.clock(),
      output: setup.output,
    };
    await writeFile(join(partial, recordFile), `${JSON.stringify(record)}\n`);
    return await publish(root, key, partial, record);
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}

async function publish(
  root: string,
  key: string,
  partial: string,
  record: TemplateRecord,
): Promise<TemplateOutcome> {
  try {
    await rename(partial, join(root, key));
    return { type: 'ready', record, built: true };
  } catch {
    // another machine sharing the directory published first: its template serves
    await rm(partial, { recursive: true, force: true });
    const published = await readTemplateRecord(root, key);
    if (published) return { type: 'ready', record: published, built: false };
    throw new Error(`could not publish the ready template ${key}`);
  }
}

/** What the setup left in the checkout that git does not track: untracked and ignored paths. */
async function createdPaths(git: Git, tree: string, signal: AbortSignal): Promise<string[]> {
  const status = await gitText(
    git,
    ['status', '--porcelain=v1', '-z', '--ignored=matching', '--untracked-files=normal'],
    { cwd: tree, signal },
  );
  return status
    .split('\0')
    .filter((entry) => entry.startsWith('?? ') || entry.startsWith('!! '))
    .map((entry) => entry.slice(3).replace(/\/$/, ''))
    .filter((path) => path !== '' && path !== '.git');
}
