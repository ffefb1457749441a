import { describe, expect, it } from 'vitest';
import { describeFinding, isEscape, judgeProbe, type ProbeEvidence } from './judge-probe.ts';

const marker = 'rt-test-marker';

function evidence(
  overrides: Partial<ProbeEvidence> & { output?: string; outcomeLines?: string[] },
): ProbeEvidence {
  const { output = `probe-started ${marker}\n`, outcomeLines = [], ...rest } = overrides;
  return {
    run: { via: 'checks', output, outcomeLines, ending: 'exit code 0', durationMs: 100 },
    marker,
    secrets: [{ label: 'canary id_ed25519', value: 'sk-canary-ssh-key-1234' }],
    expectations: [],
    hostChanges: [],
    survivors: [],
    standInUnharmed: true,
    hostResponsive: true,
    largestWorktreeFileBytes: 0,
    ...rest,
  };
}

const described = (input: ProbeEvidence) => judgeProbe(input).map(describeFinding);

describe('judgeProbe', () => {
  it('finds nothing in a run that started, leaked nothing and changed nothing', () => {
    expect(judgeProbe(evidence({}))).toEqual([]);
  });

  it('names a secret that reached the output, and a run that never started', () => {
    expect(described(evidence({ output: `probe-started ${marker}\nsk-canary-ssh-key-1234\n` }))).toEqual([
      'leaked canary id_ed25519',
    ]);
    const notStarted = judgeProbe(evidence({ output: 'bwrap: setting up uid map: Permission denied' }));
    expect(notStarted.map((finding) => finding.type)).toEqual(['probe-did-not-run']);
    expect(notStarted.every(isEscape)).toBe(false);
  });

  it('reports host changes, survivors, a harmed stand-in and a stuck host as escapes', () => {
    const findings = judgeProbe(
      evidence({
        hostChanges: [
          { type: 'path-appeared', path: '/tmp/planted' },
          { type: 'sysctl-changed', name: 'kernel/core_uses_pid', before: '0', after: '1' },
        ],
        survivors: [4242],
        standInUnharmed: false,
        hostResponsive: false,
      }),
    );
    expect(findings.map(describeFinding)).toEqual([
      'host file appeared: /tmp/planted',
      'host kernel setting kernel/core_uses_pid changed from "0" to "1"',
      'process outlived the command (host pids 4242)',
      'the stand-in cadre process was stopped, traced or killed',
      'the host could not start a process after the run',
    ]);
    expect(findings.every(isEscape)).toBe(true);
  });

  it('checks listings, forbidden attempts, counters, file sizes and durations', () => {
    const output = `probe-started ${marker}\nBEGIN ls -A /root\n.bashrc\nEND ls -A /root\nallocated 96 MiB\nallocated 200 MiB\n`;
    const findings = described(
      evidence({
        output,
        outcomeLines: ['remount /usr: succeeded', 'mknod: failed (1): Operation not permitted'],
        largestWorktreeFileBytes: 2_000_000,
        expectations: [
          { type: 'listing-empty', section: 'ls -A /root' },
          { type: 'listing-within', section: 'ls -A /home', allowed: ['agent'] },
          { type: 'attempt-fails', label: 'remount /usr' },
          { type: 'attempt-fails', label: 'mknod' },
          { type: 'counter-below', label: 'allocated', limit: 128, unit: 'MiB' },
          { type: 'worktree-files-at-most', bytes: 1_048_576 },
          { type: 'finished-within', milliseconds: 50 },
        ],
      }),
    );
    expect(findings).toEqual([
      'ls -A /root visible: .bashrc',
      'no ls -A /home listing',
      'succeeded: remount /usr',
      'allocated 200 MiB',
      'a 2000000-byte file remained',
      'ran 100 ms (limit 50 ms)',
    ]);
  });
});
