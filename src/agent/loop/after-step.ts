import type { ModelResponse } from '../../llm/index.ts';
import type { StuckVerdict } from '../stuck-detector.ts';
import { AgentEnd, assertNever, emit, type LoopState } from './loop-state.ts';

const continuePrompt =
  'The task is not finished yet. Continue working on it with the tools; when it is done, say so and stop.';
const cutOffPrompt = 'Your answer was cut off at the output limit. Continue exactly where it stopped.';

/** A step without tool calls: the end of the task, or a nudge to go on while it is unfinished. */
export async function afterTextOnly(state: LoopState, response: ModelResponse): Promise<void> {
  const cutOff = response.finishReason === 'length';
  const finished = !cutOff && (await (state.options.isTaskFinished?.(response.text) ?? true));
  if (finished) return endUnlessSteered(state, response.text);
  await applyStuckVerdict(state, state.stuckDetector.observe([]), cutOff ? cutOffPrompt : continuePrompt);
}

/** After a step's tool calls ran: end when a tool finished the task, else pass on the stuck verdict. */
export async function afterToolCalls(
  state: LoopState,
  response: ModelResponse,
  verdict: StuckVerdict,
): Promise<void> {
  if (await (state.options.isFinishedByTools?.() ?? false)) await endUnlessSteered(state, response.text);
  await applyStuckVerdict(state, verdict, null);
}

/** Passes a stuck warning to the model, or ends the agent when it was already warned. */
export async function applyStuckVerdict(
  state: LoopState,
  verdict: StuckVerdict,
  otherwise: string | null,
): Promise<void> {
  switch (verdict.type) {
    case 'ok':
      if (otherwise !== null) state.messages.push({ role: 'user', content: otherwise });
      return;
    case 'warn':
      await emit(state, { type: 'stuck-warning', pattern: verdict.pattern, detail: verdict.detail });
      state.messages.push({ role: 'user', content: verdict.message });
      return;
    case 'stuck':
      throw new AgentEnd({ type: 'stuck', pattern: verdict.pattern, detail: verdict.detail });
    default:
      return assertNever(verdict);
  }
}

/** Ends the agent as completed, unless a steer arrived during the last call: it deserves an answer first. */
async function endUnlessSteered(state: LoopState, text: string): Promise<void> {
  await state.watcher.poll();
  if (state.steers.length === 0 || state.endRequest !== null)
    throw new AgentEnd(state.endRequest ?? { type: 'completed', text });
}
