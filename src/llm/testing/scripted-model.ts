import type {
  Model,
  ModelCallOptions,
  ModelRequest,
  ModelResponse,
  ModelToolCall,
  ModelUsage,
} from '../model.ts';
import { ModelError, type ModelErrorType } from '../model-error.ts';

/** One scripted turn: an answer, a typed failure, or a call that never ends until aborted. */
export type ScriptedTurn =
  | { type: 'text'; text: string; usage?: Partial<ModelUsage>; finishReason?: 'stop' | 'length' }
  | {
      type: 'tool-calls';
      text?: string;
      toolCalls: Array<{ id?: string; name: string; input: unknown }>;
      usage?: Partial<ModelUsage>;
    }
  | { type: 'error'; errorType: ModelErrorType; message?: string; retryAfterMs?: number; statusCode?: number }
  | { type: 'hang' };

/** A turn, or a function that picks one after looking at the request. */
export type ScriptedStep = ScriptedTurn | ((request: ModelRequest) => ScriptedTurn);

/** A Model that replays turns in order and records what it was asked. */
export interface ScriptedModel extends Model {
  /** Every request received, deep-copied when it arrived. */
  readonly requests: ModelRequest[];
  /** Turns not yet played. */
  remaining(): number;
}

/** What a scripted model is built from. */
export interface ScriptedModelOptions {
  id?: string;
  /** Milliseconds reported as latency (there is no real waiting). */
  latencyMs?: number;
}

function usageOf(partial: Partial<ModelUsage> | undefined): ModelUsage {
  return {
    inputTokens: partial?.inputTokens ?? 100,
    cachedInputTokens: partial?.cachedInputTokens ?? 0,
    cacheWriteTokens: partial?.cacheWriteTokens ?? 0,
    outputTokens: partial?.outputTokens ?? 20,
    reasoningTokens: partial?.reasoningTokens ?? 0,
  };
}

function emitText(text: string, options: ModelCallOptions): void {
  if (text === '' || options.onTextDelta === undefined) return;
  const middle = Math.ceil(text.length / 2);
  options.onTextDelta(text.slice(0, middle));
  if (middle < text.length) options.onTextDelta(text.slice(middle));
}

/**
 * Creates a fake Model for tests of code that uses models. It fails loudly (a plain Error naming the
 * request number) when asked for more turns than it was given, so a test cannot pass by accident.
 */
export function createScriptedModel(
  steps: readonly ScriptedStep[],
  options: ScriptedModelOptions = {},
): ScriptedModel {
  const id = options.id ?? 'scripted:fake';
  const queue = [...steps];
  const requests: ModelRequest[] = [];

  async function generate(request: ModelRequest, callOptions: ModelCallOptions): Promise<ModelResponse> {
    requests.push(structuredClone(request));
    if (callOptions.signal.aborted)
      throw new ModelError({ type: 'aborted', modelId: id, message: 'the call was aborted' });
    const step = queue.shift();
    if (step === undefined) {
      throw new Error(
        `scripted model ${id} ran out of turns: request ${requests.length} was not scripted (it had ${steps.length} turns)`,
      );
    }
    const turn = typeof step === 'function' ? step(request) : step;
    switch (turn.type) {
      case 'hang':
        return new Promise<never>((_resolve, reject) => {
          const onAbort = () =>
            reject(new ModelError({ type: 'aborted', modelId: id, message: 'the call was aborted' }));
          callOptions.signal.addEventListener('abort', onAbort, { once: true });
        });
      case 'error':
        throw new ModelError({
          type: turn.errorType,
          modelId: id,
          message: turn.message ?? `scripted ${turn.errorType} error`,
          retryAfterMs: turn.retryAfterMs ?? null,
          statusCode: turn.statusCode ?? null,
        });
      case 'text':
        emitText(turn.text, callOptions);
        return {
          text: turn.text,
          toolCalls: [],
          finishReason: turn.finishReason ?? 'stop',
          usage: usageOf(turn.usage),
          modelId: id,
          providerModel: null,
          latencyMs: options.latencyMs ?? 0,
        };
      case 'tool-calls': {
        const text = turn.text ?? '';
        emitText(text, callOptions);
        const toolCalls: ModelToolCall[] = turn.toolCalls.map((call, index) => ({
          id: call.id ?? `call_${requests.length}_${index + 1}`,
          name: call.name,
          input: call.input,
          rawInput: JSON.stringify(call.input),
          inputError: null,
        }));
        return {
          text,
          toolCalls,
          finishReason: 'tool-calls',
          usage: usageOf(turn.usage),
          modelId: id,
          providerModel: null,
          latencyMs: options.latencyMs ?? 0,
        };
      }
    }
  }

  return { id, requests, remaining: () => queue.length, generate };
}
