import { describe, expect, it } from 'vitest';
import { describeVerdict, formatProbeTable } from './probe-table.ts';

const run = (outcomeLines: string[]) => ({
  via: 'agent-loop' as const,
  output: '',
  outcomeLines,
  ending: 'exit code 0',
  durationMs: 1234,
});

describe('formatProbeTable', () => {
  it('writes one escaped row per entry under the header', () => {
    const table = formatProbeTable([
      { name: 'pipes', attack: 'cat a | grep b', run: run(['cat: failed (1)\nsecond line']), findings: [] },
    ]);
    expect(table.split('\n')).toEqual([
      '| probe | via | attack | outcome | escaped? |',
      '| --- | --- | --- | --- | --- |',
      '| pipes | agent-loop | cat a \\| grep b | exit code 0 in 1.2s; cat: failed (1) second line | no |',
    ]);
  });

  it('shows six attempts and counts the rest', () => {
    const lines = Array.from({ length: 8 }, (_, index) => `attempt ${index + 1}`);
    const table = formatProbeTable([{ name: 'many', attack: 'a', run: run(lines), findings: [] }]);
    expect(table).toContain('attempt 6; (2 more) |');
    expect(table).not.toContain('attempt 7');
  });
});

describe('describeVerdict', () => {
  it('says YES with what got out, and tells a probe that did not run from a clean one', () => {
    expect(describeVerdict([])).toBe('no');
    expect(describeVerdict([{ type: 'secret-leaked', label: '$OPENAI_API_KEY' }])).toBe(
      'YES: leaked $OPENAI_API_KEY',
    );
    expect(describeVerdict([{ type: 'probe-did-not-run', description: 'no start line' }])).toBe(
      'did not run: no start line',
    );
  });
});
