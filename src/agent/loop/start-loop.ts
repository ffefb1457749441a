import { createInboxWatcher } from '../inbox-watcher.ts';
import { enforceWallTime, receive } from './before-step.ts';
import type { AgentLoopOptions } from './loop-options.ts';
import { createLoopState, emit, type LoopState, requestEnd } from './loop-state.ts';

/** Sets a run up: its state, the caller's abort turned into a stop, and the inbox watcher. */
export function startLoop(options: AgentLoopOptions): LoopState {
  const base = createLoopState(options);
  const onCallerAbort = () => requestEnd(base, { type: 'stopped', reason: 'the caller aborted the agent' });
  if (options.signal?.aborted) onCallerAbort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const watcher = createInboxWatcher({
    pollInbox: options.pollInbox,
    intervalMs: base.pollIntervalMs,
    sleep: base.sleep,
    signal: base.lifetime.signal,
    // The callbacks run only once the loop runs, by when `state` is assigned.
    onInstruction: (instruction) => receive(state, instruction),
    onPollError: (error) => emit(state, { type: 'inbox-poll-failed', message: String(error) }),
    onTick: () => enforceWallTime(state),
  });
  const state: LoopState = Object.assign(base, { watcher, onCallerAbort });
  return state;
}

/** Tells the listener what the agent starts with; inside the loop's try, so a throwing listener still releases. */
export async function announceStart(state: LoopState): Promise<void> {
  await emit(state, {
    type: 'agent-started',
    modelId: state.options.model.id,
    toolNames: state.tools.map((tool) => tool.name),
    task: state.options.task,
  });
}
