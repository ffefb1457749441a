import {
  addUsage,
  isModelError,
  type ModelRequest,
  type ModelResponse,
  type ModelUsage,
} from '../../llm/index.ts';
import type { ModelCallPurpose } from '../agent-events.ts';
import { AgentEnd, emit, type LoopState, throwIfEndRequested } from './loop-state.ts';

/** The next request, compacted to fit the window (masking first, then a summary by the model). */
export async function buildRequest(state: LoopState): Promise<ModelRequest> {
  const { options, contextSettings } = state;
  const request: ModelRequest = {
    messages: state.messages,
    tools: state.tools,
    toolChoice: 'auto',
    maxOutputTokens: contextSettings.reservedOutputTokens,
    ...(options.system === undefined ? {} : { system: options.system }),
  };
  const fitted = await state.contextWindow.fit(request, {
    summarize: async (summaryRequest) => {
      const maxOutputTokens = contextSettings.reservedOutputTokens;
      return (await callModel(state, { ...summaryRequest, maxOutputTokens }, 'summary')).text;
    },
    onCompaction: (compaction) => emit(state, { type: 'compaction', ...compaction }),
  });
  if (fitted.type === 'too-large') {
    const message = `the conversation needs ${fitted.tokens} tokens even after compaction; the limit is ${fitted.limit}`;
    throw new AgentEnd({ type: 'model-error', errorType: 'context-overflow', message });
  }
  return fitted.request;
}

/** One model call (a step, or a summary for compaction), counted in the totals and reported both ways. */
export async function callModel(
  state: LoopState,
  request: ModelRequest,
  purpose: ModelCallPurpose,
): Promise<ModelResponse> {
  const step = purpose === 'step' ? state.totals.steps + 1 : state.totals.steps;
  const measured = state.contextWindow.measure(request);
  await emit(state, {
    type: 'model-call-started',
    step,
    purpose,
    requestTokens: measured.tokens,
    requestTokensExact: measured.exact,
  });
  const response = await generate(state, request, purpose, step);
  if (purpose === 'step') {
    state.totals.steps += 1;
    state.contextWindow.recordUsage(request, response.usage);
  }
  const costUsd = addCost(state, response.modelId, response.usage);
  const { text, toolCalls, finishReason, usage, modelId, latencyMs } = response;
  await emit(state, {
    type: 'model-call-ended',
    step,
    purpose,
    modelId,
    text,
    toolCalls,
    finishReason,
    usage,
    costUsd,
    latencyMs,
  });
  throwIfEndRequested(state);
  return response;
}

/** Appends the model's answer to the conversation the request carried (after any compaction). */
export function appendResponse(state: LoopState, request: ModelRequest, response: ModelResponse): void {
  // A fresh array: the context window anchors provider usage on the exact messages it was sent.
  state.messages = [
    ...request.messages,
    { role: 'assistant', content: response.text, toolCalls: response.toolCalls },
  ];
}

/** The call itself, watched so a stop aborts it; a model's failure ends the run with a report. */
async function generate(
  state: LoopState,
  request: ModelRequest,
  purpose: ModelCallPurpose,
  step: number,
): Promise<ModelResponse> {
  const onTextDelta = purpose === 'step' ? state.options.onTextDelta : undefined;
  try {
    return await state.watcher.during(
      state.options.model.generate(request, {
        signal: state.stopController.signal,
        ...(onTextDelta ? { onTextDelta } : {}),
      }),
    );
  } catch (error) {
    throwIfEndRequested(state);
    if (!isModelError(error)) throw error;
    await emit(state, {
      type: 'model-call-failed',
      step,
      purpose,
      errorType: error.type,
      message: error.message,
    });
    throw new AgentEnd({ type: 'model-error', errorType: error.type, message: error.message });
  }
}

/** Adds a call's usage and price to the totals; returns the price, null when the model's is unknown. */
function addCost(state: LoopState, modelId: string, usage: ModelUsage): number | null {
  const costUsd = state.costOf(modelId, usage);
  state.totals.usage = addUsage(state.totals.usage, usage);
  if (costUsd === null) state.totals.unpricedCalls += 1;
  else state.totals.costUsd += costUsd;
  return costUsd;
}
