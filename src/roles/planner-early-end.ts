import { z } from 'zod';
import { endReasonText, type RoleSession, type TaskSettlement } from './role-session.ts';

/** The part of a planner's result that says what it filed. */
const PlannerFiled = z.object({ filed: z.array(z.string()), subplanners: z.array(z.string()) });

/**
 * Makes a planner that did not finish its plan fail its task, whatever it filed. A planner cut off
 * by its model (provider errors), its budget, the stuck detector or a fatal tool error filed only
 * part of its plan: completing its task would hide that. The task fails without a retry — the
 * tasks it did file still run, and a second planner would file them again — and the reason, which
 * the run's summary repeats, says how far it got. A stopped planner (the cycle or run ended) and
 * one that finished keep their settlement.
 */
export function failEarlyPlannerEnd(session: RoleSession): RoleSession {
  return {
    ...session,
    settle(result): TaskSettlement {
      const settlement = session.settle(result);
      if (settlement.type !== 'complete') return settlement;
      switch (result.reason.type) {
        case 'completed':
        case 'stopped':
          return settlement;
        case 'budget':
        case 'stuck':
        case 'model-error':
        case 'fatal-tool-error':
        case 'engine-failed': {
          const filed = PlannerFiled.safeParse(settlement.result).data ?? { filed: [], subplanners: [] };
          return {
            type: 'fail',
            reason: `the planner ended before finish_planning (${endReasonText(result)}) after filing ${filed.filed.length} task(s) and ${filed.subplanners.length} sub-planner(s); those still run, the rest of its plan was never filed`,
            retryable: false,
          };
        }
      }
    },
  };
}
