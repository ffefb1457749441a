import type { AgentEndReason } from './agent-events.ts';
import { afterTextOnly, afterToolCalls, applyStuckVerdict } from './loop/after-step.ts';
import { beforeStep } from './loop/before-step.ts';
import { appendResponse, buildRequest, callModel } from './loop/call-model.ts';
import { endLoop, endReasonOf, releaseLoop } from './loop/end-loop.ts';
import type { AgentLoopOptions, AgentResult } from './loop/loop-options.ts';
import type { LoopState } from './loop/loop-state.ts';
import { refuseTruncatedCalls, runToolCalls } from './loop/run-tool-calls.ts';
import { announceStart, startLoop } from './loop/start-loop.ts';

export type { AgentLoopOptions, AgentResult } from './loop/loop-options.ts';

/**
 * Runs one agent until the model ends its turn, a budget runs out, the agent is stuck, a stop arrives, the
 * model fails or a tool fails fatally: build context → one model call → run its tool calls → append the
 * results → check the inbox and the budgets → repeat. Resolves with the end reason; rejects only on bugs.
 * Every way to end is an AgentEnd thrown from a step and caught here, once.
 */
export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentResult> {
  const state = startLoop(options);
  let reason: AgentEndReason;
  try {
    await announceStart(state);
    for (;;) await runStep(state);
  } catch (error) {
    reason = endReasonOf(error);
  } finally {
    releaseLoop(state);
  }
  return endLoop(state, reason);
}

/** One step: inbox and budgets, one model call, then its tool calls or the check whether the task is done. */
async function runStep(state: LoopState): Promise<void> {
  await beforeStep(state);
  const request = await buildRequest(state);
  const response = await callModel(state, request, 'step');
  appendResponse(state, request, response);
  if (response.toolCalls.length === 0) return afterTextOnly(state, response);
  if (response.finishReason === 'length') return refuseTruncatedCalls(state, response.toolCalls);
  // A repeat that is stuck already ends before its calls run; a warning waits until their results are in.
  const verdict = state.stuckDetector.observe(response.toolCalls);
  if (verdict.type === 'stuck') await applyStuckVerdict(state, verdict, null);
  await runToolCalls(state, response.toolCalls);
  await afterToolCalls(state, response, verdict);
}
