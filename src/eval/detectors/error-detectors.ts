import type { AgentEndReason, AgentEvent } from '../../agent/index.ts';
import { toolCallSignature } from '../../agent/index.ts';
import type { EntityCatalog } from '../suite.ts';
import type { DetectedError, ErrorKind } from '../trial-record.ts';

/** What the detectors look at: the agent's events, how it ended and its answer. */
export interface TrialObservation {
  events: readonly AgentEvent[];
  reason: AgentEndReason;
  /** The extracted answer, or null. */
  answer: string | null;
  finalText: string;
  catalog: EntityCatalog | null;
}

/** A deterministic detector of one error kind: the error it saw, or null. */
export interface ErrorDetector {
  kind: ErrorKind;
  detect(observation: TrialObservation): DetectedError | null;
}

type Outcome = Extract<AgentEvent, { type: 'tool-call-ended' }>['outcome'];

function outcomeDetector(kind: ErrorKind, outcomeType: Outcome['type']): ErrorDetector {
  return {
    kind,
    detect({ events }) {
      const failed = events.flatMap((event) =>
        event.type === 'tool-call-ended' && event.outcome.type === outcomeType ? [event] : [],
      );
      if (failed.length === 0) return null;
      const first = failed[0]!;
      return {
        kind,
        detail: `${failed.length} call(s); first: ${first.toolName}: ${first.outcome.output.slice(0, 200)}`,
      };
    },
  };
}

/** Input that failed the tool's schema (or was not JSON). */
export const toolCallSchemaErrorDetector = outcomeDetector('tool-call-schema-error', 'invalid-input');
/** Input that passed the schema but the tool rejected (invalid SQL, a missing file, an unknown topic). */
export const toolCallArgumentErrorDetector = outcomeDetector('tool-call-argument-error', 'tool-error');
/** A call to a tool the agent does not have. */
export const unknownToolDetector = outcomeDetector('unknown-tool', 'unknown-tool');

/** A name in the answer that looks like an entity of the suite's world but is not in its catalog. */
export const hallucinatedEntityDetector: ErrorDetector = {
  kind: 'hallucinated-entity',
  detect({ answer, finalText, catalog }) {
    if (catalog === null) return null;
    const text = answer ?? finalText;
    const unknown = [...text.matchAll(catalog.pattern)]
      .map((match) => match[0])
      .filter((name) => !catalog.known.has(name));
    if (unknown.length === 0) return null;
    return { kind: 'hallucinated-entity', detail: `not in the catalog: ${[...new Set(unknown)].join(', ')}` };
  },
};

/** The agent ended its turn without giving an answer. */
export const prematureStopDetector: ErrorDetector = {
  kind: 'premature-stop',
  detect({ reason, answer }) {
    if (reason.type !== 'completed' || answer !== null) return null;
    return { kind: 'premature-stop', detail: `ended without an answer: "${reason.text.slice(0, 160)}"` };
  },
};

/** How many steps in a row with the very same tool calls count as repetition. */
export const repetitionThreshold = 3;

/** The same tool calls (names and arguments) step after step. */
export const stepRepetitionDetector: ErrorDetector = {
  kind: 'step-repetition',
  detect({ events }) {
    let previous: string | null = null;
    let run = 0;
    for (const event of events) {
      if (event.type !== 'model-call-ended' || event.purpose !== 'step') continue;
      if (event.toolCalls.length === 0) {
        previous = null;
        run = 0;
        continue;
      }
      const signature = toolCallSignature(event.toolCalls);
      run = signature === previous ? run + 1 : 1;
      previous = signature;
      if (run >= repetitionThreshold)
        return { kind: 'step-repetition', detail: `${run} identical steps: ${signature.slice(0, 200)}` };
    }
    return null;
  },
};

/** A step, token, dollar or time budget ran out, or the context overflowed. */
export const overLimitDetector: ErrorDetector = {
  kind: 'over-limit',
  detect({ reason }) {
    if (reason.type === 'budget')
      return {
        kind: 'over-limit',
        detail: `${reason.budget} budget: used ${reason.used} of ${reason.limit}`,
      };
    if (reason.type === 'model-error' && reason.errorType === 'context-overflow')
      return { kind: 'over-limit', detail: reason.message };
    return null;
  },
};

/** Every detector of the taxonomy, in the order of `errorKinds`. */
export function createErrorDetectors(): ErrorDetector[] {
  return [
    toolCallSchemaErrorDetector,
    toolCallArgumentErrorDetector,
    unknownToolDetector,
    hallucinatedEntityDetector,
    prematureStopDetector,
    stepRepetitionDetector,
    overLimitDetector,
  ];
}

/** Runs every detector over one trial. */
export function detectErrors(
  observation: TrialObservation,
  detectors: readonly ErrorDetector[] = createErrorDetectors(),
): DetectedError[] {
  return detectors.flatMap((detector) => {
    const found = detector.detect(observation);
    return found === null ? [] : [found];
  });
}
