import { z } from 'zod';
import { SandboxNetwork } from '../sandbox/index.ts';
import { LandingMode, QueueSettings } from './queue/queue-settings.ts';
import { SetupSettings } from './ready/setup-settings.ts';

/** Where the hub lives: a bare repository under `.cadre/` seeded from the user's repository, or a git URL. */
export const HubConfig = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('local'),
    /** Revision of the user's repository the run starts from. */
    seed: z.string().min(1).default('HEAD'),
    /** Path of the bare hub; default `<repo>/.cadre/hub.git`. */
    path: z.string().min(1).optional(),
  }),
  z.object({ type: z.literal('remote'), url: z.string().min(1), cachePath: z.string().min(1).optional() }),
]);

/** The project's checks as configured: they run in the shell tool's sandbox (`tools.shell`). */
export const ChecksSettings = z
  .object({
    /** A shell command line, such as `npm test`. */
    command: z.string().min(1),
    timeoutMs: z.int().min(1).default(600_000),
    /** The checks' network, when it differs from the shell's (an allow-list of package registries, say). */
    network: SandboxNetwork.optional(),
  })
  .strict();
/** The project's checks as configured. */
export type ChecksSettings = z.infer<typeof ChecksSettings>;

/** The `workspace` section of a run's config. */
export const WorkspaceConfig = z.object({
  hub: HubConfig.default({ type: 'local', seed: 'HEAD' }),
  branch: z
    .string()
    .regex(/^[\w][\w./-]{0,199}$/, 'a branch name is letters, digits and _./-')
    .default('main'),
  /** Directory of agents' worktrees; default `<repo>/.cadre/worktrees`. */
  worktreeRoot: z.string().min(1).optional(),
  keepFailedWorktrees: z.boolean().default(false),
  /** Commands that make each worktree ready (dependencies installed), run once per lock-file content. */
  setup: SetupSettings.optional(),
  landing: z
    .object({
      maxAttempts: z.int().min(1).max(1000).default(30),
      backoffInitialMs: z.int().min(0).default(20),
      backoffMaxMs: z.int().min(0).default(2000),
      concurrentAttempts: z.int().min(1).max(1000).default(1),
      checks: ChecksSettings.optional(),
      /** Default: `queue` when checks are configured, else `direct`. */
      mode: LandingMode.optional(),
      queue: QueueSettings.prefault({}),
    })
    .prefault({})
    .check((context) => {
      if (context.value.mode === 'queue' && context.value.checks === undefined)
        context.issues.push({
          code: 'custom',
          input: context.value,
          path: ['mode'],
          message:
            'the merge queue runs the checks on every batch, but workspace.landing.checks is not set: add checks.command, or set mode to "direct"',
        });
    }),
});
/** The `workspace` section of a run's config (after defaults). */
export type WorkspaceConfig = z.infer<typeof WorkspaceConfig>;
