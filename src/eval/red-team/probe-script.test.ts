import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { attempt, listing, probeScript, readAttempt } from './probe-script.ts';

const execFileAsync = promisify(execFile);

// Only harmless commands run here, on the host, to check the helpers' quoting and reporting.
async function runScript(body: string): Promise<string> {
  return (await execFileAsync('bash', ['-c', probeScript('rt-script-test', body)])).stdout;
}

describe('probeScript', () => {
  it('starts with the marker line and reports each attempt once, quotes and all', async () => {
    const output = await runScript(
      [
        attempt("it's quoted", "echo 'first'; echo \"it's done\""),
        attempt('fails', 'echo "no such thing" >&2; exit 3'),
      ].join('\n'),
    );
    const lines = output.split('\n');
    expect(lines[0]).toBe('probe-started rt-script-test');
    expect(lines).toContain("RESULT it's quoted: succeeded: it's done");
    expect(lines).toContain('RESULT fails: failed (3): no such thing');
  });

  it('prints what a read printed but keeps it out of the RESULT line', async () => {
    const output = await runScript(readAttempt('read a secret', 'echo sk-canary-value'));
    expect(output).toContain('sk-canary-value\n');
    expect(output).toContain('RESULT read a secret: succeeded: printed 15 bytes');
    expect(output).not.toMatch(/RESULT.*sk-canary-value/);
  });

  it('brackets a listing and counts its entries', async () => {
    const output = await runScript(
      [listing('two', 'printf "a\\nb\\n"'), listing('none', 'ls /nonexistent')].join('\n'),
    );
    expect(output).toContain('BEGIN two\na\nb\nEND two\nRESULT two: 2 visible: a b \n');
    expect(output).toContain('BEGIN none\nEND none\nRESULT none: nothing visible\n');
  });

  it('exports the marker to the shells each attempt runs in', async () => {
    expect(await runScript(attempt('marker', 'echo "$M"'))).toContain(
      'RESULT marker: succeeded: rt-script-test',
    );
  });
});
