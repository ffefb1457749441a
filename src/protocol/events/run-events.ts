import { z } from 'zod';
import { RunStatus } from '../run.ts';
import { eventOf, payload } from './define-event.ts';

/**
 * Where a process runs, as `agent.registered`, `worker.joined` and `orchestrator.started` record it:
 * `process` is `orchestrator` (the process driving the run) or `worker` (a joined `cadre worker`),
 * `instance` tells two lives of one pid apart. Every field is optional: older logs hold less.
 */
export const Placement = z.object({
  process: z.string().optional(),
  instance: z.string().optional(),
  host: z.string().optional(),
  pid: z.number().optional(),
});
/** Where a process runs. */
export type Placement = z.infer<typeof Placement>;

/** The `run.*` events the board writes, and the `orchestrator.*` / `worker.*` events of the processes driving a run. */
export const runEvents = [
  eventOf('run.created', payload({ goal: z.string() })),
  /** The run's edited fields (a RunPatch). */
  eventOf(
    'run.updated',
    payload({
      goal: z.string().optional(),
      status: RunStatus.optional(),
      budgetUsd: z.number().nullable().optional(),
    }),
  ),
  /** The orchestrator of a run started (its placement); followers start reading after it. */
  eventOf('orchestrator.started', Placement),
  eventOf(
    'orchestrator.run-ended',
    payload({
      status: z.string(),
      reason: z.string().nullable().optional(),
      notes: z.array(z.string()).optional(),
    }),
  ),
  /** A `cadre worker` process joined the run (its placement). */
  eventOf('worker.joined', Placement),
] as const;
