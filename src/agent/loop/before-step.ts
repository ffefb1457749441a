import { exceededBudget } from '../agent-budget.ts';
import type { InboxInstruction } from '../agent-inbox.ts';
import { AgentEnd, assertNever, elapsed, emit, type LoopState, requestEnd } from './loop-state.ts';

/**
 * Between steps: take in the inbox, wait out a pause, end when a stop or a budget says so, and add the
 * steers that arrived to the conversation.
 */
export async function beforeStep(state: LoopState): Promise<void> {
  await state.watcher.poll();
  await holdWhilePaused(state);
  checkEnd(state);
  for (const steer of state.steers.splice(0)) state.messages.push({ role: 'user', content: steer.text });
}

/** Acts on one inbox instruction; a stop ends the run at once, the others wait for the loop. */
export async function receive(state: LoopState, instruction: InboxInstruction): Promise<void> {
  switch (instruction.type) {
    case 'steer':
      state.steers.push(instruction);
      await emit(state, { type: 'steer-received', messageId: instruction.messageId, text: instruction.text });
      return;
    case 'stop':
      await emit(state, {
        type: 'stop-received',
        messageId: instruction.messageId,
        reason: instruction.reason,
      });
      requestEnd(state, { type: 'stopped', reason: instruction.reason });
      return;
    case 'pause':
      state.pauseRequest ??= { messageId: instruction.messageId };
      return;
    case 'resume':
      state.pauseRequest = null;
      state.resumedBy = instruction.messageId;
      return;
    default:
      return assertNever(instruction);
  }
}

/** On every watcher tick: a long call must not outlive the wall-time budget. */
export function enforceWallTime(state: LoopState): void {
  // Steps, tokens and dollars move only between steps, so only the wall time is checked mid-call.
  const { maxWallTimeMs } = state.budget;
  if (maxWallTimeMs !== undefined && elapsed(state) >= maxWallTimeMs)
    requestEnd(state, { type: 'budget', budget: 'wall-time', limit: maxWallTimeMs, used: elapsed(state) });
}

/** Holds the loop between steps while paused; only a resume or a stop lets it go. */
async function holdWhilePaused(state: LoopState): Promise<void> {
  if (state.pauseRequest === null || state.endRequest !== null) return;
  const since = state.clock();
  await emit(state, { type: 'paused', messageId: state.pauseRequest.messageId });
  while (state.pauseRequest !== null && state.endRequest === null) {
    try {
      await state.sleep(state.pollIntervalMs, state.stopController.signal);
    } catch {
      break;
    }
    await state.watcher.poll();
  }
  if (state.endRequest === null)
    await emit(state, { type: 'resumed', messageId: state.resumedBy, pausedMs: state.clock() - since });
}

/** Ends the run when a stop arrived or a budget is spent. */
function checkEnd(state: LoopState): void {
  if (state.endRequest !== null) throw new AgentEnd(state.endRequest);
  const exceeded = exceededBudget(state.budget, state.totals, elapsed(state));
  if (exceeded !== null) throw new AgentEnd({ type: 'budget', ...exceeded });
}
