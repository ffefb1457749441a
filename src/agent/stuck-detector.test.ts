import { describe, expect, it } from 'vitest';
import type { ModelToolCall } from '../llm/index.ts';
import { createStuckDetector, StuckSettings, toolCallSignature } from './stuck-detector.ts';

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
});
