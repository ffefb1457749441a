import { z } from 'zod';
import type { ModelToolCall } from '../llm/index.ts';
import type { StuckPattern } from './agent-events.ts';

/** When the stuck detector warns, then ends the agent. */
export const StuckSettings = z.strictObject({
  /** Steps in a row making the very same tool calls (same names, same arguments) before the warning. */
  repeatedToolCallLimit: z.int().min(2).default(3),
  /** Steps in a row without any tool call, while the task is unfinished, before the warning. */
  idleStepLimit: z.int().min(1).default(3),
});
/** When the stuck detector warns, then ends the agent. */
export type StuckSettings = z.infer<typeof StuckSettings>;

/** What the detector makes of a step: fine, a warning to pass to the model, or stuck for good. */
export type StuckVerdict =
  | { type: 'ok' }
  | { type: 'warn'; pattern: StuckPattern; detail: string; message: string }
  | { type: 'stuck'; pattern: StuckPattern; detail: string };

/** What a detector knows about the agent's tools besides its settings. */
export interface StuckDetectorOptions {
  /**
   * Tools that wait for the world to change (a planner's `wait_for_changes`): calling one again and
   * again is how an agent waits for hours, not a sign that it goes nowhere. See waitingToolNames.
   */
  waitingTools?: Iterable<string>;
}

/** A tool as far as the detector cares: its name, and whether it waits for changes. */
export interface MaybeWaitingTool {
  name: string;
  /** True for a tool that blocks until something changes or a timeout passes. */
  waits?: boolean;
}

/** The names of the tools that say they wait (`waits: true`), for StuckDetectorOptions.waitingTools. */
export function waitingToolNames(tools: readonly MaybeWaitingTool[]): string[] {
  return tools.filter((tool) => tool.waits === true).map((tool) => tool.name);
}

/** Watches the tool calls of each step for the two patterns of an agent going nowhere. */
export interface StuckDetector {
  /** Records one step (its tool calls; none for a text-only step that left the task unfinished). */
  observe(toolCalls: readonly ModelToolCall[]): StuckVerdict;
}

/**
 * Creates a detector. A pattern repeated `limit` times gets a warning; one more repetition after the
 * warning is stuck. Breaking the pattern resets it, so a warned agent that changes course goes on. A
 * step that waits (calls a waiting tool) breaks every pattern: after a wait the world may have moved,
 * so the same read is news, not a loop; the step budget is what bounds a waiting agent.
 */
export function createStuckDetector(
  settings: StuckSettings,
  options: StuckDetectorOptions = {},
): StuckDetector {
  const waitingTools = new Set(options.waitingTools ?? []);
  let lastSignature: string | null = null;
  let repeats = 0;
  let idleSteps = 0;
  // a call whose input was not even JSON fails at once without waiting, so it counts like any other
  const waits = (call: ModelToolCall) => waitingTools.has(call.name) && !call.inputError;
  return {
    observe(toolCalls) {
      if (toolCalls.some(waits)) {
        lastSignature = null;
        repeats = 0;
        idleSteps = 0;
        return { type: 'ok' };
      }
      if (toolCalls.length === 0) {
        lastSignature = null;
        repeats = 0;
        idleSteps += 1;
        const detail = `${idleSteps} steps in a row without a tool call while the task is unfinished`;
        return verdict('no-tool-calls', idleSteps, settings.idleStepLimit, detail);
      }
      idleSteps = 0;
      const signature = toolCallSignature(toolCalls);
      repeats = signature === lastSignature ? repeats + 1 : 1;
      lastSignature = signature;
      const names = toolCalls.map((call) => call.name).join(', ');
      const detail = `the same call (${names}) with the same arguments ${repeats} times in a row`;
      return verdict('repeated-tool-call', repeats, settings.repeatedToolCallLimit, detail);
    },
  };
}

function verdict(pattern: StuckPattern, count: number, limit: number, detail: string): StuckVerdict {
  if (count < limit) return { type: 'ok' };
  if (count > limit) return { type: 'stuck', pattern, detail };
  const advice =
    pattern === 'repeated-tool-call'
      ? 'Repeating it will give the same result. Try a different approach'
      : 'Use the tools to make progress, or finish the task';
  return {
    type: 'warn',
    pattern,
    detail,
    message: `Warning: you made ${detail}. ${advice}; if you repeat this once more the agent will be stopped as stuck.`,
  };
}

/** The calls of a step as a string that ignores call ids and the order of object keys. */
export function toolCallSignature(toolCalls: readonly ModelToolCall[]): string {
  return JSON.stringify(
    toolCalls.map((call) => [call.name, canonical(call.inputError ? call.rawInput : call.input)]),
  );
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) =>
      left < right ? -1 : left > right ? 1 : 0,
    );
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonical(inner)]));
  }
  return value;
}
