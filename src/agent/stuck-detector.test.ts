import { describe, expect, it } from 'vitest';
import type { ModelToolCall } from '../llm/index.ts';
import { createStuckDetector, StuckSettings, toolCallSignature, waitingToolNames } from './stuck-detector.ts';

const call = (name: string, input: unknown, id = 'x'): ModelToolCall => ({
  id,
  name,
  input,
  rawInput: JSON.stringify(input),
  inputError: null,
});

describe('createStuckDetector', () => {
  it('ignores call ids and key order when comparing calls', () => {
    expect(toolCallSignature([call('read_file', { path: 'a', endLine: 3 }, '1')])).toBe(
      toolCallSignature([call('read_file', { endLine: 3, path: 'a' }, '2')]),
    );
    expect(toolCallSignature([call('read_file', { path: 'a' })])).not.toBe(
      toolCallSignature([call('read_file', { path: 'b' })]),
    );
  });

  it('warns at the limit, is stuck one past it, and resets when the pattern breaks', () => {
    const detector = createStuckDetector(StuckSettings.parse({ repeatedToolCallLimit: 2, idleStepLimit: 2 }));
    const same = [call('grep', { pattern: 'x' })];
    expect(detector.observe(same).type).toBe('ok');
    expect(detector.observe(same)).toMatchObject({ type: 'warn', pattern: 'repeated-tool-call' });
    expect(detector.observe([call('grep', { pattern: 'y' })]).type).toBe('ok');
    expect(detector.observe([]).type).toBe('ok');
    expect(detector.observe([])).toMatchObject({ type: 'warn', pattern: 'no-tool-calls' });
    expect(detector.observe([])).toMatchObject({ type: 'stuck', pattern: 'no-tool-calls' });
  });

  it('never counts a waiting tool as a repetition, and a wait breaks the pattern of other calls', () => {
    const settings = StuckSettings.parse({ repeatedToolCallLimit: 2 });
    const tools = [{ name: 'wait_for_changes', waits: true }, { name: 'list_tasks' }];
    const detector = createStuckDetector(settings, { waitingTools: waitingToolNames(tools) });
    const wait = [call('wait_for_changes', { timeout_s: 600 })];
    for (let step = 0; step < 20; step++) expect(detector.observe(wait).type).toBe('ok');
    // the same read after each wait is news, not a loop
    const list = [call('list_tasks', {})];
    for (let step = 0; step < 5; step++) {
      expect(detector.observe(list).type).toBe('ok');
      expect(detector.observe(wait).type).toBe('ok');
    }
    // without a wait in between the read is a loop again
    expect(detector.observe(list).type).toBe('ok');
    expect(detector.observe(list).type).toBe('warn');
    expect(detector.observe(list).type).toBe('stuck');
  });

  it('counts a waiting tool like any other when its input was not JSON, or when it is not declared', () => {
    const broken: ModelToolCall = { ...call('wait_for_changes', {}), inputError: 'Unexpected token' };
    const declared = createStuckDetector(StuckSettings.parse({ repeatedToolCallLimit: 2 }), {
      waitingTools: ['wait_for_changes'],
    });
    expect(declared.observe([broken]).type).toBe('ok');
    expect(declared.observe([broken]).type).toBe('warn');
    const undeclared = createStuckDetector(StuckSettings.parse({ repeatedToolCallLimit: 2 }));
    const wait = [call('wait_for_changes', { timeout_s: 60 })];
    expect(undeclared.observe(wait).type).toBe('ok');
    expect(undeclared.observe(wait).type).toBe('warn');
  });
});
