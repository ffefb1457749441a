import { z } from 'zod';
import { eventOf, payload } from './define-event.ts';

/** How a ready template's installed files reach a worktree. */
export const ShareMode = z.enum(['reflink', 'hardlink', 'copy']);
/** How a ready template's installed files reach a worktree. */
export type ShareMode = z.infer<typeof ShareMode>;

/** The event type every worktree setup records (one per worktree made ready, or failing to be). */
export const workspaceSetupEventType = 'workspace.setup';

/** The event type of a run paused because worktree setups kept failing. */
export const setupPausedEventType = 'workspace.setup-paused';

/**
 * How a worktree became ready. `template-hit`: the installed state came from an existing template;
 * `template-built`: this worktree's setup built the template; `own-setup`: its reuse files differ
 * from every template (the agent changed a lock file), so the setup ran in it alone; `failed`.
 */
export const ReadyReport = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('template-hit'),
    key: z.string(),
    share: ShareMode,
    /** Time to bring the template's files into the worktree. */
    linkMs: z.number(),
  }),
  z.object({
    type: z.literal('template-built'),
    key: z.string(),
    share: ShareMode,
    setupMs: z.number(),
    linkMs: z.number(),
    /** The end of the setup's output. */
    output: z.string(),
  }),
  z.object({ type: z.literal('own-setup'), key: z.string(), setupMs: z.number(), output: z.string() }),
  z.object({
    type: z.literal('failed'),
    key: z.string(),
    setupMs: z.number(),
    /** Which command failed and how. */
    reason: z.string(),
    output: z.string(),
  }),
]);
/** How a worktree became ready. */
export type ReadyReport = z.infer<typeof ReadyReport>;

/** The payload of a `workspace.setup` event. */
export const WorkspaceSetupEvent = z.object({
  agentId: z.string(),
  taskId: z.string().nullable(),
  /** The worktree's directory name; null when it could not be made ready (it was removed). */
  worktree: z.string().nullable(),
  /** `create` for a new worktree, `refresh` after its reuse files changed. */
  phase: z.enum(['create', 'refresh']),
  /** Milliseconds from the start of readying to a ready worktree (or the failure). */
  readyMs: z.number(),
  report: ReadyReport,
});
/** The payload of a `workspace.setup` event. */
export type WorkspaceSetupEvent = z.infer<typeof WorkspaceSetupEvent>;

/** The `workspace.*` events. */
export const workspaceEvents = [
  eventOf(workspaceSetupEventType, WorkspaceSetupEvent),
  eventOf(setupPausedEventType, payload({ consecutiveFailures: z.number(), reason: z.string() })),
] as const;
