import type { ModelMessage, ModelRequest, ModelUsage } from '../../llm/index.ts';
import type { CompactionStrategy } from '../agent-events.ts';
import { type ContextSettings, requestTokenLimit } from './context-settings.ts';
import { maskToolOutputs } from './mask-tool-outputs.ts';
import { buildSummaryRequest, summaryMessage, summarySplitIndex } from './summarize-history.ts';
import type { TokenCounter } from './token-counter.ts';

/** One compaction the window made, for the `compaction` event. */
export interface Compaction {
  strategy: CompactionStrategy;
  tokensBefore: number;
  tokensAfter: number;
  messagesAffected: number;
}

/** The outcome of fitting a request into the window. */
export type FitResult =
  /** `exact` is false when `tokens` is the cheap upper bound, which happened to be under every threshold. */
  | { type: 'fits'; request: ModelRequest; tokens: number; exact: boolean }
  | { type: 'too-large'; tokens: number; limit: number };

/** What fitting a request needs besides the request. */
export interface FitOptions {
  /** Asks the model for a summary (the loop meters and emits the call); rejects to abort the fit. */
  summarize(request: ModelRequest): Promise<string>;
  /** Told about each compaction as it happens. */
  onCompaction(compaction: Compaction): Promise<void>;
}

/** Keeps one agent's requests inside its model's context window. */
export interface ContextWindow {
  /**
   * Token estimate of a request: the provider-reported input of the last call plus the messages added
   * since, or our count scaled by how much more the provider counted; never below our own count.
   */
  estimate(request: ModelRequest): number;
  /** The estimate when the request is near a threshold, else the byte bound (cheap); `exact` says which. */
  measure(request: ModelRequest): { tokens: number; exact: boolean };
  /** Records what the provider reported for a request that was sent, to anchor later estimates. */
  recordUsage(request: ModelRequest, usage: ModelUsage): void;
  /** Masks, then summarizes, until the request is under the thresholds, or says it cannot fit. */
  fit(request: ModelRequest, options: FitOptions): Promise<FitResult>;
}

/** Creates the context window of one agent. */
export function createContextWindow(settings: ContextSettings, counter: TokenCounter): ContextWindow {
  const maskAt = Math.floor(settings.windowTokens * settings.maskAtFraction);
  const summarizeAt = Math.floor(settings.windowTokens * settings.summarizeAtFraction);
  const limit = requestTokenLimit(settings);
  let anchor: { messages: readonly ModelMessage[]; system: string | undefined; inputTokens: number } | null =
    null;
  // How many tokens the provider counts per token of ours; only ever raises our estimates.
  const providerRatio = 1;

  function estimate(request: ModelRequest): number {
    const counted = Math.ceil(counter.countRequest(request) * providerRatio);
    // Provider usage is the truth for the prefix it saw, while that prefix is unchanged. Our count still
    // wins when it is higher: a provider that under-reports must not push a request over the window.
    if (
      anchor !== null &&
      anchor.system === request.system &&
      startsWith(request.messages, anchor.messages)
    ) {
      let tokens = anchor.inputTokens;
      for (const message of request.messages.slice(anchor.messages.length))
        tokens += counter.countMessage(message);
      return Math.max(tokens, counted);
    }
    return counted;
  }

  function measure(request: ModelRequest): { tokens: number; exact: boolean } {
    // most requests of most agents are far from the window: skip the tokenizer for them
    const bound = counter.boundRequest(request);
    return bound <= maskAt ? { tokens: bound, exact: false } : { tokens: estimate(request), exact: true };
  }

  async function fit(request: ModelRequest, options: FitOptions): Promise<FitResult> {
    const quick = measure(request);
    if (!quick.exact) return { type: 'fits', request, tokens: quick.tokens, exact: false };
    let current = request;
    let tokens = estimate(current);
    const replace = async (messages: ModelMessage[], strategy: CompactionStrategy, affected: number) => {
      const next = { ...current, messages };
      const after = estimate(next);
      await options.onCompaction({
        strategy,
        tokensBefore: tokens,
        tokensAfter: after,
        messagesAffected: affected,
      });
      current = next;
      tokens = after;
    };

    if (tokens > maskAt) {
      const masked = maskToolOutputs(current.messages, settings.keepRecentToolResults, counter);
      if (masked.maskedCount > 0) await replace(masked.messages, 'mask-tool-outputs', masked.maskedCount);
    }
    if (tokens > summarizeAt) {
      // The split counts with our tokenizer, so the share is scaled down to the provider's way of counting.
      const keepTokens = Math.floor((settings.windowTokens * settings.keepRecentFraction) / providerRatio);
      const split = summarySplitIndex(current.messages, keepTokens, counter);
      if (split > 1) {
        const older = current.messages.slice(1, split);
        const summary = await options.summarize(buildSummaryRequest(older, limit, counter));
        const messages = [current.messages[0]!, summaryMessage(summary), ...current.messages.slice(split)];
        await replace(messages, 'summarize', older.length);
      }
    }
    if (tokens > limit) {
      // Last resort before giving up: even the newest tool outputs go.
      const masked = maskToolOutputs(current.messages, 0, counter);
      if (masked.maskedCount > 0) await replace(masked.messages, 'mask-tool-outputs', masked.maskedCount);
    }
    return tokens > limit
      ? { type: 'too-large', tokens, limit }
      : { type: 'fits', request: current, tokens, exact: true };
  }

  return {
    estimate,
    measure,
    recordUsage(request, usage) {
      anchor =
        usage.inputTokens > 0
          ? { messages: request.messages, system: request.system, inputTokens: usage.inputTokens }
          : null;
    },
    fit,
  };
}

function startsWith(messages: readonly ModelMessage[], prefix: readonly ModelMessage[]): boolean {
  if (prefix.length > messages.length) return false;
  for (let index = 0; index < prefix.length; index++) if (messages[index] !== prefix[index]) return false;
  return true;
}
