import { describe, expect, it } from 'vitest';
import type { AgentEndReason, AgentEvent } from '../../agent/index.ts';
import { emptyUsage } from '../../llm/index.ts';
import {
  detectErrors,
  hallucinatedEntityDetector,
  overLimitDetector,
  prematureStopDetector,
  stepRepetitionDetector,
  type TrialObservation,
  toolCallArgumentErrorDetector,
  toolCallSchemaErrorDetector,
  unknownToolDetector,
} from './error-detectors.ts';

const completed: AgentEndReason = { type: 'completed', text: 'ANSWER: in' };
const catalog = { pattern: /\b[A-Z]{2,3}-\d{3}\b/g, known: new Set(['GL-101', 'PRP-201']) };

function observation(overrides: Partial<TrialObservation> = {}): TrialObservation {
  return { events: [], reason: completed, answer: 'in', finalText: 'ANSWER: in', catalog, ...overrides };
}

function toolEnded(outcome: Extract<AgentEvent, { type: 'tool-call-ended' }>['outcome']): AgentEvent {
  return {
    type: 'tool-call-ended',
    at: 0,
    step: 1,
    toolCallId: 'c1',
    toolName: 'sql_query',
    outcome,
    durationMs: 0,
  };
}

function step(calls: Array<{ name: string; input: unknown }>): AgentEvent {
  return {
    type: 'model-call-ended',
    at: 0,
    step: 1,
    purpose: 'step',
    modelId: 'm',
    text: '',
    toolCalls: calls.map((call, index) => ({
      id: `c${index}`,
      ...call,
      rawInput: JSON.stringify(call.input),
      inputError: null,
    })),
    finishReason: 'tool-calls',
    usage: emptyUsage(),
    costUsd: 0,
    latencyMs: 0,
  };
}

const success = toolEnded({ type: 'success', output: '[]', details: null, cutCharacters: 0 });

describe('error detectors', () => {
  it('tool-call schema error: invalid input, not other outcomes', () => {
    const bad = toolEnded({
      type: 'invalid-input',
      output: 'Invalid input for sql_query',
      issues: ['sql: required'],
    });
    expect(toolCallSchemaErrorDetector.detect(observation({ events: [success, bad] }))?.kind).toBe(
      'tool-call-schema-error',
    );
    expect(toolCallSchemaErrorDetector.detect(observation({ events: [success] }))).toBeNull();
  });

  it('tool-call argument error: a tool that rejected valid-looking input (invalid SQL)', () => {
    const bad = toolEnded({ type: 'tool-error', output: 'Error: invalid SQL: near "SELEC"', details: null });
    expect(toolCallArgumentErrorDetector.detect(observation({ events: [bad] }))?.detail).toMatch(/SELEC/);
    expect(toolCallArgumentErrorDetector.detect(observation({ events: [success] }))).toBeNull();
  });

  it('unknown tool', () => {
    const bad = toolEnded({ type: 'unknown-tool', output: 'no tool named fly', toolName: 'fly' });
    expect(unknownToolDetector.detect(observation({ events: [bad] }))?.kind).toBe('unknown-tool');
    expect(unknownToolDetector.detect(observation({ events: [success] }))).toBeNull();
  });

  it('hallucinated entity: a product code outside the catalog', () => {
    const found = hallucinatedEntityDetector.detect(observation({ answer: 'GL-101, UMB-909' }));
    expect(found?.detail).toContain('UMB-909');
    expect(found?.detail).not.toContain('GL-101');
    expect(hallucinatedEntityDetector.detect(observation({ answer: 'GL-101, PRP-201' }))).toBeNull();
    expect(hallucinatedEntityDetector.detect(observation({ answer: 'UMB-909', catalog: null }))).toBeNull();
  });

  it('premature stop: completed without an answer', () => {
    const stopped = observation({ answer: null, reason: { type: 'completed', text: 'I will look later.' } });
    expect(prematureStopDetector.detect(stopped)?.kind).toBe('premature-stop');
    expect(prematureStopDetector.detect(observation())).toBeNull();
    const budget = observation({
      answer: null,
      reason: { type: 'budget', budget: 'steps', limit: 3, used: 3 },
    });
    expect(prematureStopDetector.detect(budget)).toBeNull();
  });

  it('step repetition: the same call three steps in a row, not two, not interleaved', () => {
    const same = step([{ name: 'sql_query', input: { sql: 'SELECT 1' } }]);
    const other = step([{ name: 'sql_query', input: { sql: 'SELECT 2' } }]);
    expect(stepRepetitionDetector.detect(observation({ events: [same, same, same] }))?.kind).toBe(
      'step-repetition',
    );
    expect(stepRepetitionDetector.detect(observation({ events: [same, same] }))).toBeNull();
    expect(stepRepetitionDetector.detect(observation({ events: [same, other, same, other] }))).toBeNull();
  });

  it('over limit: a budget or a context overflow, not a normal end', () => {
    const budget = observation({ reason: { type: 'budget', budget: 'tokens', limit: 10, used: 12 } });
    expect(overLimitDetector.detect(budget)?.detail).toMatch(/tokens budget/);
    const overflow = observation({
      reason: { type: 'model-error', errorType: 'context-overflow', message: 'too long' },
    });
    expect(overLimitDetector.detect(overflow)?.kind).toBe('over-limit');
    expect(overLimitDetector.detect(observation())).toBeNull();
    const server = observation({ reason: { type: 'model-error', errorType: 'server', message: '500' } });
    expect(overLimitDetector.detect(server)).toBeNull();
  });

  it('runs every detector over one trial', () => {
    const bad = toolEnded({ type: 'tool-error', output: 'Error: x', details: null });
    const kinds = detectErrors(observation({ events: [bad], answer: 'XSL-808' })).map((error) => error.kind);
    expect(kinds).toEqual(['tool-call-argument-error', 'hallucinated-entity']);
  });
});
