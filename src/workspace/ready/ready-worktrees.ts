import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Sandbox, SandboxConfig } from '../../sandbox/index.ts';
import { type Git, gitText } from '../git/run-git.ts';
import { computeReadyKey, type ReadyKey, reuseFilesMoved } from './ready-key.ts';
import { runSetup, setupSandboxConfig } from './run-setup.ts';
import { type ReadyReport, SetupFailedError } from './setup-report.ts';
import { type SetupSettings, ShareMode } from './setup-settings.ts';
import { excludeFromCommits, probeShareMode, protectSharedFiles, shareInto } from './share-files.ts';
import { isStale, tryTemplateLock } from './template-lock.ts';

/** Options of createReadyWorktrees. */
export interface ReadyWorktreesOptions {
  settings: SetupSettings;
  /** Directory of the templates; on the worktrees' filesystem, so hard links and clones work. */
  root: string;
  sandbox: Sandbox;
  /** The shell's sandbox settings; setup runs with them plus its own network, environment and caches. */
  shell: SandboxConfig;
  git: Git;
  clock?: () => number;
  /** How often a process waiting for another's template looks again. */
  pollIntervalMs?: number;
}

/** Makes worktrees ready to build and test, running the setup once per content of the reuse files. */
export interface ReadyWorktrees {
  /** Brings a fresh worktree to the ready state of its reuse files; throws SetupFailedError when setup fails. */
  prepare(worktreePath: string, signal: AbortSignal): Promise<ReadyReport>;
  /**
   * Readies a worktree again when its reuse files changed since (an agent edited a lock file, a landing
   * brought someone else's): from a template when one matches, else by setup in that worktree alone.
   * Null when nothing changed. Never throws for a failing setup: the report says it.
   */
  refresh(worktreePath: string, signal: AbortSignal): Promise<ReadyReport | null>;
  /** Forgets a worktree that was removed. */
  forget(worktreePath: string): void;
  /** Removes half-built templates whose builder is gone; returns their paths. */
  cleanStale(signal: AbortSignal): Promise<string[]>;
}

/** What a published template records: written last, inside the directory that is renamed into place. */
const TemplateRecord = z.object({
  key: z.string(),
  /** Paths (relative to the worktree root) the setup created: what each worktree gets. */
  paths: z.array(z.string()),
  share: ShareMode,
  setupMs: z.number(),
  builtAt: z.int(),
  output: z.string(),
});
type TemplateRecord = z.infer<typeof TemplateRecord>;

type TemplateOutcome =
  | { type: 'ready'; record: TemplateRecord; built: boolean }
  | Extract<ReadyReport, { type: 'failed' }>;

const recordFile = 'ready.json';
const treeDirectory = 'tree';
const defaultPollIntervalMs = 200;

/**
 * Ready templates live in `root/<key>/` (the checkout the setup ran in, `tree/`, and `ready.json`).
 * A template is built in `root/<key>.partial-*` under a lock file and renamed into place only once
 * complete, so a crash at any point leaves a partial directory that is never used, only cleaned.
 */
export function createReadyWorktrees(options: ReadyWorktreesOptions): ReadyWorktrees {
  const { settings, sandbox, git } = options;
  const clock = options.clock ?? Date.now;
  const setupConfig = setupSandboxConfig(settings, options.shell);
  const states = new Map<string, { key: ReadyKey; paths: readonly string[] }>();
  const building = new Map<string, Promise<TemplateOutcome>>();
  let shareMode: Promise<ShareMode> | null = null;

  const templateDirectory = (key: string) => join(options.root, key);
  const modeOf = (signal: AbortSignal) => {
    shareMode ??= probeShareMode(options.root, settings.share, signal).catch((error: unknown) => {
      shareMode = null;
      throw error;
    });
    return shareMode;
  };

  const readRecord = async (key: string): Promise<TemplateRecord | null> => {
    try {
      const text = await readFile(join(templateDirectory(key), recordFile), 'utf8');
      return TemplateRecord.parse(JSON.parse(text));
    } catch {
      return null;
    }
  };

  const build = async (key: string, source: string, signal: AbortSignal): Promise<TemplateOutcome> => {
    const share = await modeOf(signal);
    const partial = join(options.root, `${key}.partial-${randomBytes(4).toString('hex')}`);
    const tree = join(partial, treeDirectory);
    try {
      await mkdir(partial, { recursive: true });
      await git(
        ['clone', '--quiet', '--shared', '--no-tags', '--config=core.hooksPath=/dev/null', source, tree],
        {
          cwd: options.root,
          signal,
        },
      );
      const setup = await runSetup(settings, sandbox, setupConfig, await realpath(tree), signal);
      if (setup.type === 'failed') {
        await rm(partial, { recursive: true, force: true });
        return { type: 'failed', key, setupMs: setup.durationMs, reason: setup.reason, output: setup.output };
      }
      const paths = await createdPaths(git, tree, signal);
      if (share === 'hardlink') await protectSharedFiles(tree, paths, signal);
      const record: TemplateRecord = {
        key,
        paths,
        share,
        setupMs: setup.durationMs,
        builtAt: clock(),
        output: setup.output,
      };
      await writeFile(join(partial, recordFile), `${JSON.stringify(record)}\n`);
      try {
        await rename(partial, templateDirectory(key));
      } catch {
        // another machine sharing the directory published first: its template serves
        await rm(partial, { recursive: true, force: true });
        const published = await readRecord(key);
        if (published) return { type: 'ready', record: published, built: false };
        throw new Error(`could not publish the ready template ${key}`);
      }
      return { type: 'ready', record, built: true };
    } catch (error) {
      await rm(partial, { recursive: true, force: true }).catch(() => {});
      throw error;
    }
  };

  /** The template of `key`: published already, built by this call, or awaited from another process. */
  const ensureTemplate = async (
    key: string,
    source: string,
    signal: AbortSignal,
  ): Promise<TemplateOutcome> => {
    const lockPath = join(options.root, `${key}.lock`);
    const waitUntil = clock() + settings.timeoutMs + 60_000;
    for (;;) {
      const record = await readRecord(key);
      if (record) return { type: 'ready', record, built: false };
      const attempt = await tryTemplateLock(lockPath, clock);
      if (attempt.type === 'acquired') {
        try {
          // published between our look and our lock
          const late = await readRecord(key);
          if (late) return { type: 'ready', record: late, built: false };
          return await build(key, source, signal);
        } finally {
          await rm(lockPath, { force: true });
        }
      }
      if (clock() > waitUntil)
        return {
          type: 'failed',
          key,
          setupMs: 0,
          reason: `another process has held the setup lock ${lockPath} longer than the setup's timeout`,
          output: '',
        };
      await delay(options.pollIntervalMs ?? defaultPollIntervalMs, signal);
    }
  };

  const sharedTemplate = (key: string, source: string, signal: AbortSignal) => {
    const pending = building.get(key);
    if (pending)
      return pending.then((outcome) => (outcome.type === 'ready' ? { ...outcome, built: false } : outcome));
    const started = ensureTemplate(key, source, signal).finally(() => building.delete(key));
    building.set(key, started);
    return started;
  };

  const link = async (worktreePath: string, record: TemplateRecord, signal: AbortSignal) => {
    const started = performance.now();
    await shareInto(
      join(templateDirectory(record.key), treeDirectory),
      worktreePath,
      record.paths,
      record.share,
      signal,
    );
    await excludeFromCommits(worktreePath, record.paths);
    return Math.round(performance.now() - started);
  };

  return {
    async prepare(worktreePath, signal) {
      await mkdir(options.root, { recursive: true });
      const key = await computeReadyKey(settings, worktreePath);
      const outcome = await sharedTemplate(key.key, worktreePath, signal);
      if (outcome.type === 'failed') throw new SetupFailedError(outcome);
      const { record, built } = outcome;
      const linkMs = await link(worktreePath, record, signal);
      states.set(worktreePath, { key, paths: record.paths });
      return built
        ? {
            type: 'template-built',
            key: key.key,
            share: record.share,
            setupMs: record.setupMs,
            linkMs,
            output: record.output,
          }
        : { type: 'template-hit', key: key.key, share: record.share, linkMs };
    },

    async refresh(worktreePath, signal) {
      const state = states.get(worktreePath);
      if (!state || !(await reuseFilesMoved(state.key, worktreePath))) return null;
      const key = await computeReadyKey(settings, worktreePath);
      const previous = state.paths;
      states.set(worktreePath, { key, paths: previous });
      if (key.key === state.key.key) return null;
      // what the old setup made goes first: shared files are read-only, and a setup starts from a checkout
      for (const path of previous) await rm(join(worktreePath, path), { recursive: true, force: true });
      const record = await readRecord(key.key);
      if (record) {
        const linkMs = await link(worktreePath, record, signal);
        states.set(worktreePath, { key, paths: record.paths });
        return { type: 'template-hit', key: key.key, share: record.share, linkMs };
      }
      const setup = await runSetup(settings, sandbox, setupConfig, await realpath(worktreePath), signal);
      return setup.type === 'passed'
        ? { type: 'own-setup', key: key.key, setupMs: setup.durationMs, output: setup.output }
        : {
            type: 'failed',
            key: key.key,
            setupMs: setup.durationMs,
            reason: setup.reason,
            output: setup.output,
          };
    },

    forget(worktreePath) {
      states.delete(worktreePath);
    },

    async cleanStale(signal) {
      signal.throwIfAborted();
      const entries = await readdir(options.root).catch(() => [] as string[]);
      const removed: string[] = [];
      for (const entry of entries) {
        const match = /^(.+)\.partial-[0-9a-f]+$/.exec(entry);
        if (!match?.[1]) continue;
        // a partial template is in use only while its builder holds the lock
        const lockPath = join(options.root, `${match[1]}.lock`);
        if (await isStale(lockPath, clock)) {
          await rm(join(options.root, entry), { recursive: true, force: true });
          await rm(lockPath, { force: true });
          removed.push(join(options.root, entry));
        }
      }
      return removed;
    },
  };
}

/** What the setup left in the checkout that git does not track: untracked and ignored paths. */
async function createdPaths(git: Git, tree: string, signal: AbortSignal): Promise<string[]> {
  const status = await gitText(
    git,
    ['status', '--porcelain=v1', '-z', '--ignored=matching', '--untracked-files=normal'],
    {
      cwd: tree,
      signal,
    },
  );
  return status
    .split('\0')
    .filter((entry) => entry.startsWith('?? ') || entry.startsWith('!! '))
    .map((entry) => entry.slice(3).replace(/\/$/, ''))
    .filter((path) => path !== '' && path !== '.git');
}

function delay(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, milliseconds);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}
