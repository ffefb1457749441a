/**
 * Per-agent tallies of tool use, the raw material of the tool-use failure rate and the
 * hallucinated-reference rate. Mutated in place by the dispatcher and the path resolver.
 */
export interface ToolCounters {
  /** Every tool call the model made, valid or not. */
  toolCalls: number;
  /** Calls whose input failed validation (or was not valid JSON). */
  invalidInput: number;
  /** Calls naming a tool the agent does not have. */
  unknownTool: number;
  /** Calls whose tool reported an error back to the model. */
  toolErrors: number;
  /** Paths the model named that were expected to exist. */
  pathReferences: number;
  /** Of those, the ones that did not exist: hallucinated references. */
  missingPathReferences: number;
}

/** Fresh counters, all at zero. */
export function createToolCounters(): ToolCounters {
  return {
    toolCalls: 0,
    invalidInput: 0,
    unknownTool: 0,
    toolErrors: 0,
    pathReferences: 0,
    missingPathReferences: 0,
  };
}

/** Rates derived from counters; a rate with nothing to divide by is 0. */
export interface ToolRates {
  /** Invalid input, unknown tools and tool errors over all tool calls. */
  toolFailureRate: number;
  /** Missing paths over all paths expected to exist. */
  hallucinatedReferenceRate: number;
}

/** Computes the failure and hallucinated-reference rates of some counters. */
export function toolRates(counters: ToolCounters): ToolRates {
  const failures = counters.invalidInput + counters.unknownTool + counters.toolErrors;
  return {
    toolFailureRate: ratio(failures, counters.toolCalls),
    hallucinatedReferenceRate: ratio(counters.missingPathReferences, counters.pathReferences),
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
