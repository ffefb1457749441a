import type { AgentEndReason } from '../agent-events.ts';
import type { AgentResult } from './loop-options.ts';
import { AgentEnd, emit, type LoopState } from './loop-state.ts';

/** The reason an AgentEnd carries; any other error is a bug and goes on up. */
export function endReasonOf(error: unknown): AgentEndReason {
  if (!(error instanceof AgentEnd)) throw error;
  return error.reason;
}

/** Stops the inbox watcher and lets go of the caller's signal, however the run ended. */
export function releaseLoop(state: LoopState): void {
  state.lifetime.abort();
  state.options.signal?.removeEventListener('abort', state.onCallerAbort);
}

/** Reports the end and hands back what the run used and where the conversation stands. */
export async function endLoop(state: LoopState, reason: AgentEndReason): Promise<AgentResult> {
  await emit(state, { type: 'agent-ended', reason, totals: { ...state.totals } });
  return {
    reason,
    totals: { ...state.totals },
    counters: state.toolContext.counters,
    messages: state.messages,
  };
}
