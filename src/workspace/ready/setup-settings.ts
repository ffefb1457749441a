import { z } from 'zod';
import { ShareMode } from '../../protocol/index.ts';
import { SandboxNetwork } from '../../sandbox/index.ts';

const absolutePath = z
  .string()
  .startsWith('/', 'must be an absolute path (starting with /)')
  .refine((value) => !value.split('/').includes('..'), 'must not contain ".."')
  .refine((value) => value !== '/', 'must not be /');

const repositoryPath = z
  .string()
  .min(1)
  .refine((value) => !value.startsWith('/'), 'must be relative to the repository root')
  .refine((value) => !value.split('/').includes('..'), 'must not contain ".."');

/** A host directory that setup steps and agents share, such as a package manager's download cache. */
export const SetupCache = z
  .object({
    path: absolutePath,
    /** How setup steps see it: `writable` lets the first setup fill it for everyone after. */
    setup: z.enum(['read-only', 'writable']).default('writable'),
    /** How agents' commands and checks see it; `hidden` leaves it out of their sandbox. */
    agents: z.enum(['read-only', 'writable', 'hidden']).default('read-only'),
  })
  .strict();
/** A shared cache directory. */
export type SetupCache = z.infer<typeof SetupCache>;

// the share mode is recorded in `workspace.setup` events, so it lives in the event catalog
export { ShareMode };

/** Lock files looked for when `reuseFiles` is not given: the first ones present decide reuse. */
export const knownLockFiles = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'uv.lock',
  'poetry.lock',
  'Pipfile.lock',
  'requirements.txt',
  'Cargo.lock',
  'go.sum',
  'Gemfile.lock',
  'composer.lock',
] as const;

/**
 * `workspace.setup`: the commands that make a fresh worktree ready to build and test (`npm ci`,
 * `uv sync`, `cargo fetch`). They run once per content of the reuse files; every other worktree
 * gets the installed state from that template.
 */
export const SetupSettings = z
  .object({
    /** Shell command lines run in order in the worktree, in the sandbox; the first failure stops setup. */
    commands: z
      .array(z.string().min(1, 'a setup command must not be empty'))
      .min(1, 'give at least one setup command'),
    /** Files (relative to the repository root) whose content decides whether a ready state can be reused; default: the lock files present. */
    reuseFiles: z.array(repositoryPath).min(1).optional(),
    /** Longest all setup commands of one worktree may take together. */
    timeoutMs: z
      .int()
      .min(1, 'timeoutMs must be at least 1 (milliseconds); leave it out for the default of 15 minutes')
      .default(900_000),
    /** The setup's network (an allow-list of package registries, say); default: the shell's. */
    network: SandboxNetwork.optional(),
    /** Variables added to the setup commands' environment (a package manager's cache path, say). */
    environment: z.record(z.string(), z.string()).default({}),
    /** How installed files reach the next worktrees; `auto` tries copy-on-write, then hard links, then a copy. */
    share: z.enum(['auto', 'reflink', 'hardlink', 'copy']).default('auto'),
    caches: z.array(SetupCache).default([]),
    /** Setups failing this many times in a row pause the run: the environment is broken, not the agents. */
    maxConsecutiveFailures: z.int().min(1).default(3),
  })
  .strict();
/** `workspace.setup` after defaults. */
export type SetupSettings = z.infer<typeof SetupSettings>;
/** `workspace.setup` as a user writes it. */
export type SetupSettingsInput = z.input<typeof SetupSettings>;
