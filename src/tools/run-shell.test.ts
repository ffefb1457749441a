import { randomInt } from 'node:crypto';
import { access } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolConfigInput } from '../agent/index.ts';
import { createReadFileTool } from './read-file.ts';
import { createRunShellTool } from './run-shell.ts';
import { eventually, processIdsWithCommandLine } from './testing/process-table.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

const runShell = createRunShellTool();
let worktree: TempWorktree;
let server: Server | null = null;
afterEach(async () => {
  await worktree.remove();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  server = null;
});

async function shell(command: string, extra: object = {}) {
  return runShell.execute({ command, ...extra }, worktree.context);
}

async function exists(target: string): Promise<boolean> {
  return access(target).then(
    () => true,
    () => false,
  );
}

describe('run_shell in bubblewrap', () => {
  it('runs a command in the worktree and reports its output and exit code', async () => {
    worktree = await createTempWorktree({ files: { 'a.txt': 'hello\n' } });
    const outcome = await shell('cat a.txt; echo oops >&2; echo made > b.txt; exit 3');
    expect(outcome).toMatchObject({ type: 'success', output: 'hello\noops\n[exit code 3]' });
    expect(outcome.type === 'success' && outcome.details).toMatchObject({
      sandboxed: true,
      end: { type: 'exited', exitCode: 3 },
    });
    expect(await worktree.read('b.txt')).toBe('made\n');
  });

  it('runs in a working directory inside the worktree and refuses one outside', async () => {
    worktree = await createTempWorktree({ files: { 'sub/x': '' } });
    expect((await shell('pwd', { workingDirectory: 'sub' })).output).toBe(
      `${path.join(worktree.root, 'sub')}\n[exit code 0]`,
    );
    expect((await shell('pwd', { workingDirectory: '..' })).output).toContain('outside the worktree');
  });

  it('cannot write outside the worktree', async () => {
    worktree = await createTempWorktree();
    const outside = await worktree.outsideDirectory();
    const outcome = await shell(
      `mount -o remount,rw /; echo x > ${outside}/escaped; echo x > /etc/cadre-escaped; echo x > /root/cadre-escaped`,
    );
    expect(outcome.output).toContain('Read-only file system');
    expect(await exists(path.join(outside, 'escaped'))).toBe(false);
    expect(await exists('/etc/cadre-escaped')).toBe(false);
    expect(await exists('/root/cadre-escaped')).toBe(false);
  });

  it('cannot modify the protected .git directory', async () => {
    worktree = await createTempWorktree({ git: true });
    const before = await worktree.read('.git/config');
    const outcome = await shell('echo "[core] fsmonitor = evil" >> .git/config');
    expect(outcome.output).toContain('Read-only file system');
    expect(await worktree.read('.git/config')).toBe(before);
  });

  it('cannot open a network connection, even to loopback', async () => {
    worktree = await createTempWorktree();
    const port = await listenOnLoopback();
    const probe = `require('net').connect(${port}, '127.0.0.1').on('connect', () => console.log('CONNECTED')).on('error', (e) => console.log('FAILED', e.code))`;
    const outcome = await shell(`node -e "${probe}"`);
    expect(outcome.output).toContain('FAILED');
    expect(outcome.output).not.toContain('CONNECTED');
  });

  it('can reach the network when the config allows it', async () => {
    worktree = await createTempWorktree({ config: { shell: { allowNetwork: true } } });
    const port = await listenOnLoopback();
    const probe = `require('net').connect(${port}, '127.0.0.1').on('data', (d) => { console.log(String(d)); process.exit(0); })`;
    expect((await shell(`node -e "${probe}"`)).output).toContain('hello from the host');
  });

  it('does not leak the agent environment into the command', async () => {
    worktree = await createTempWorktree({ config: { shell: { environment: { GIVEN: 'yes' } } } });
    process.env.CADRE_TEST_SECRET = 'sk-should-not-leak';
    try {
      const outcome = await shell('env');
      expect(outcome.output).not.toContain('sk-should-not-leak');
      expect(outcome.output).toContain('GIVEN=yes');
    } finally {
      delete process.env.CADRE_TEST_SECRET;
    }
  });

  it('refuses a symlink the command planted that leads outside', async () => {
    worktree = await createTempWorktree();
    await shell('ln -s /etc/passwd planted && ln -s / root-link');
    const readFile = createReadFileTool();
    expect((await readFile.execute({ path: 'planted' }, worktree.context)).output).toContain(
      'through a symbolic link',
    );
    expect((await readFile.execute({ path: 'root-link/etc/hostname' }, worktree.context)).output).toContain(
      'through a symbolic link',
    );
  });

  it('kills the command and every process it started when it times out', async () => {
    worktree = await createTempWorktree();
    const marker = uniqueSleep(31);
    const outcome = await shell(`${marker} & ${marker}; echo never`, { timeoutSeconds: 1 });
    expect(outcome).toMatchObject({ type: 'tool-error' });
    expect(outcome.output).toContain('[timed out after 1s');
    expect(outcome.output).not.toContain('never');
    expect(await eventually(async () => (await processIdsWithCommandLine(marker)).length === 0, 5000)).toBe(
      true,
    );
  });

  it('kills the whole process tree when the agent is stopped', async () => {
    const controller = new AbortController();
    worktree = await createTempWorktree({ signal: controller.signal });
    const marker = uniqueSleep(32);
    const running = shell(`(${marker} & wait) & ${marker}`);
    expect(await eventually(async () => (await processIdsWithCommandLine(marker)).length >= 2, 10_000)).toBe(
      true,
    );
    controller.abort();
    const outcome = await running;
    expect(outcome.type).toBe('aborted');
    expect(await eventually(async () => (await processIdsWithCommandLine(marker)).length === 0, 5000)).toBe(
      true,
    );
  });

  it('keeps the head and tail of long output and counts what it dropped', async () => {
    worktree = await createTempWorktree({ config: { shell: { outputCapBytes: 1000 } } });
    const outcome = await shell('echo START; head -c 100000 /dev/zero | tr "\\0" x; echo; echo END');
    expect(outcome.output.startsWith('START\n')).toBe(true);
    expect(outcome.output).toContain('END\n[exit code 0]');
    expect(outcome.output).toMatch(/\[\.\.\. \d+ bytes of output dropped here \.\.\.\]/);
    expect(outcome.output.length).toBeLessThan(1200);
  });
});

describe('run_shell without bubblewrap', () => {
  const missing: ToolConfigInput = { shell: { bubblewrapPath: '/nonexistent/bwrap' } };

  it('refuses and says why unless unsandboxed commands are allowed', async () => {
    worktree = await createTempWorktree({ config: missing });
    const outcome = await createRunShellTool().execute({ command: 'echo hi' }, worktree.context);
    expect(outcome).toMatchObject({ type: 'tool-error' });
    expect(outcome.output).toContain('bubblewrap (/nonexistent/bwrap) is not installed');
    expect(outcome.output).toContain('shell.allowUnsandboxed');
  });

  it('runs unsandboxed when allowed, still killing the process tree on stop', async () => {
    const controller = new AbortController();
    worktree = await createTempWorktree({
      signal: controller.signal,
      config: { shell: { bubblewrapPath: '/nonexistent/bwrap', allowUnsandboxed: true } },
    });
    const tool = createRunShellTool();
    const ran = await tool.execute({ command: 'echo hi > out.txt; cat out.txt' }, worktree.context);
    expect(ran).toMatchObject({ type: 'success', output: 'hi\n[exit code 0]' });
    expect(ran.type === 'success' && ran.details).toMatchObject({ sandboxed: false });
    const marker = uniqueSleep(33);
    const running = tool.execute({ command: `${marker} & ${marker}` }, worktree.context);
    expect(await eventually(async () => (await processIdsWithCommandLine(marker)).length >= 2, 10_000)).toBe(
      true,
    );
    controller.abort();
    expect((await running).type).toBe('aborted');
    expect(await eventually(async () => (await processIdsWithCommandLine(marker)).length === 0, 5000)).toBe(
      true,
    );
  });

  it('reports a broken bubblewrap with its own error', async () => {
    worktree = await createTempWorktree({ config: { shell: { bubblewrapPath: '/bin/false' } } });
    const outcome = await createRunShellTool().execute({ command: 'echo hi' }, worktree.context);
    expect(outcome.output).toContain('bubblewrap (/bin/false) does not work here');
  });
});

// A fresh fraction per run keeps a process left by an earlier, failed run from confusing this one.
function uniqueSleep(seconds: number): string {
  return `sleep ${seconds}.${randomInt(100_000, 999_999)}`;
}

async function listenOnLoopback(): Promise<number> {
  const listening = createServer((socket) => socket.end('hello from the host'));
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const address = listening.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
