import { mkdir, readdir, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sandbox, SandboxConfig } from '../../sandbox/index.ts';
import type { Git } from '../git/run-git.ts';
import {
  buildTemplate,
  readTemplateRecord,
  type TemplateOutcome,
  type TemplateRecord,
  templateTree,
} from './build-template.ts';
import { computeReadyKey, type ReadyKey, reuseFilesMoved } from './ready-key.ts';
import { runSetup, setupSandboxConfig } from './run-setup.ts';
import { type ReadyReport, SetupFailedError } from './setup-report.ts';
import type { SetupSettings, ShareMode } from './setup-settings.ts';
import { excludeFromCommits, probeShareMode, shareInto } from './share-files.ts';
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

  const modeOf = (signal: AbortSignal) => {
    shareMode ??= probeShareMode(options.root, settings.share, signal).catch((error: unknown) => {
      shareMode = null;
      throw error;
    });
    return shareMode;
  };

  const readRecord = (key: string) => readTemplateRecord(options.root, key);
  const build = async (key: string, source: string, signal: AbortSignal) =>
    buildTemplate({
      root: options.root,
      key,
      source,
      settings,
      sandbox,
      setupConfig,
      share: await modeOf(signal),
      git,
      clock,
      signal,
    });

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
    await shareInto(templateTree(options.root, record.key), worktreePath, record.paths, record.share, signal);
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
