import { z } from 'zod';
import { TaskKind, TaskStatus } from '../task.ts';
import { eventOf, payload } from './define-event.ts';

/** The `task.*` events the board writes as tasks move between states. */
export const taskEvents = [
  eventOf(
    'task.created',
    payload({ kind: TaskKind, title: z.string(), parentId: z.string().nullable(), priority: z.number() }),
  ),
  /** The task's edited fields (a TaskPatch). */
  eventOf(
    'task.updated',
    payload({
      title: z.string().optional(),
      spec: z.string().optional(),
      acceptance: z.string().optional(),
      scope: z.array(z.string()).optional(),
      priority: z.number().optional(),
    }),
  ),
  eventOf('task.cancelled', payload({ reason: z.string(), was: TaskStatus })),
  eventOf('task.claimed', payload({ owner: z.string(), fence: z.number(), expiresAt: z.number() })),
  eventOf('task.completed', payload({ fence: z.number(), owner: z.string().nullable() })),
  eventOf('task.retrying', payload({ fence: z.number(), reason: z.string(), attempts: z.number() })),
  /** By the agent (with a fence and a reason) or by the reaper (with the owner whose lease expired). */
  eventOf(
    'task.failed',
    payload({
      fence: z.number(),
      reason: z.string().optional(),
      attempts: z.number(),
      owner: z.string().nullable().optional(),
    }),
  ),
  eventOf('task.released', payload({ fence: z.number() })),
  eventOf('task.expired', payload({ owner: z.string().nullable(), fence: z.number(), attempts: z.number() })),
] as const;
