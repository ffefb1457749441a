import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import type { Clock } from '../protocol/index.ts';
import { raceAbort } from './abortable.ts';
import { classifyError } from './classify-error.ts';
import { convertRequest } from './convert-request.ts';
import type {
  Model,
  ModelCallOptions,
  ModelFinishReason,
  ModelRequest,
  ModelResponse,
  ModelToolCall,
} from './model.ts';
import { ModelError } from './model-error.ts';
import { convertUsage } from './usage/convert-usage.ts';

/** How to wrap an AI SDK language model as a cadre Model. */
export interface LanguageModelAdapterOptions {
  /** The cadre model id, e.g. `anthropic:claude-opus-4-5`. */
  id: string;
  languageModel: LanguageModelV3;
  /** `stream` (default) uses server-sent events; `generate` waits for one JSON response. */
  transport?: 'stream' | 'generate';
  /** Upper bound for one call, so that a hung connection cannot stall an agent forever. */
  timeoutMs?: number;
  /** The model's output cap: a request asking for more is clamped to it instead of being refused with a 400. */
  maxOutputTokens?: number;
  clock?: Clock;
}

/** The request with its output budget clamped to the model's cap (unchanged when it asks for none). */
function clampOutput(request: ModelRequest, cap: number | undefined): ModelRequest {
  if (cap === undefined || request.maxOutputTokens === undefined || request.maxOutputTokens <= cap) {
    return request;
  }
  return { ...request, maxOutputTokens: cap };
}

function parseToolCall(id: string, name: string, rawInput: string): ModelToolCall {
  const text = rawInput.trim() === '' ? '{}' : rawInput;
  try {
    return { id, name, input: JSON.parse(text), rawInput, inputError: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { id, name, input: null, rawInput, inputError: `the tool input is not valid JSON: ${reason}` };
  }
}

interface Collected {
  text: string;
  toolCalls: ModelToolCall[];
  finish: Extract<LanguageModelV3StreamPart, { type: 'finish' }> | null;
  providerModel: string | null;
}

function fromContent(content: LanguageModelV3Content[], collected: Collected): void {
  for (const part of content) {
    if (part.type === 'text') collected.text += part.text;
    if (part.type === 'tool-call' && part.providerExecuted !== true) {
      collected.toolCalls.push(parseToolCall(part.toolCallId, part.toolName, part.input));
    }
  }
}

/** Wraps an AI SDK LanguageModelV3 as a cadre Model: one step, typed errors, usage, abort and timeout. */
export function createLanguageModelAdapter(options: LanguageModelAdapterOptions): Model {
  const clock = options.clock ?? Date.now;
  const transport = options.transport ?? 'stream';

  async function run(
    callOptions: LanguageModelV3CallOptions,
    signal: AbortSignal,
    onTextDelta: ((delta: string) => void) | undefined,
    state: { streaming: boolean },
  ): Promise<Collected> {
    const collected: Collected = { text: '', toolCalls: [], finish: null, providerModel: null };
    if (transport === 'generate') {
      const result = await raceAbort(options.languageModel.doGenerate(callOptions), signal);
      fromContent(result.content, collected);
      collected.finish = { type: 'finish', usage: result.usage, finishReason: result.finishReason };
      collected.providerModel = result.response?.modelId ?? null;
      if (collected.text !== '') onTextDelta?.(collected.text);
      return collected;
    }
    const { stream } = await raceAbort(options.languageModel.doStream(callOptions), signal);
    state.streaming = true;
    const reader = stream.getReader();
    try {
      for (;;) {
        const next = await raceAbort(reader.read(), signal);
        if (next.done) break;
        const part = next.value;
        switch (part.type) {
          case 'text-delta':
            collected.text += part.delta;
            onTextDelta?.(part.delta);
            break;
          case 'tool-call':
            if (part.providerExecuted !== true) {
              collected.toolCalls.push(parseToolCall(part.toolCallId, part.toolName, part.input));
            }
            break;
          case 'response-metadata':
            collected.providerModel = part.modelId ?? collected.providerModel;
            break;
          case 'finish':
            collected.finish = part;
            break;
          case 'error':
            throw part.error ?? new Error('the provider reported an unspecified stream error');
          default:
            break;
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
    return collected;
  }

  return {
    id: options.id,
    async generate(request: ModelRequest, callOptions: ModelCallOptions): Promise<ModelResponse> {
      const started = clock();
      const controller = new AbortController();
      let timedOut = false;
      const onAbort = () => controller.abort(callOptions.signal.reason);
      callOptions.signal.addEventListener('abort', onAbort, { once: true });
      if (callOptions.signal.aborted) controller.abort(callOptions.signal.reason);
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              controller.abort(new Error('timeout'));
            }, options.timeoutMs);
      const state = { streaming: false };
      const listener: { failed: boolean; error: unknown } = { failed: false, error: undefined };
      const onTextDelta =
        callOptions.onTextDelta === undefined
          ? undefined
          : (delta: string) => {
              try {
                callOptions.onTextDelta?.(delta);
              } catch (error) {
                // A listener bug is the caller's, not the model's: keep it out of error classification.
                if (!listener.failed) {
                  listener.failed = true;
                  listener.error = error;
                }
                controller.abort(error);
              }
            };
      try {
        const clamped = clampOutput(request, options.maxOutputTokens);
        const sdkOptions = { ...convertRequest(clamped), abortSignal: controller.signal };
        const collected = await run(sdkOptions, controller.signal, onTextDelta, state);
        if (collected.finish === null) {
          throw new ModelError({
            type: 'stream-torn',
            modelId: options.id,
            message: 'the stream ended before the model finished',
          });
        }
        const unified = collected.finish.finishReason.unified;
        const finishReason: ModelFinishReason =
          collected.toolCalls.length > 0 && unified !== 'length' ? 'tool-calls' : unified;
        return {
          text: collected.text,
          toolCalls: collected.toolCalls,
          finishReason,
          usage: convertUsage(collected.finish.usage),
          modelId: options.id,
          providerModel: collected.providerModel,
          latencyMs: Math.max(0, clock() - started),
        };
      } catch (error) {
        if (listener.failed) throw listener.error;
        throw classifyError(error, {
          modelId: options.id,
          now: clock(),
          aborted: callOptions.signal.aborted,
          timedOut,
          streaming: state.streaming,
        });
      } finally {
        clearTimeout(timer);
        callOptions.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
