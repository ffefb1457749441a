import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSandboxPaths } from './check-sandbox-paths.ts';
import { createSandbox, type SandboxRun } from './create-sandbox.ts';
import { networkOf, SandboxConfig, type SandboxConfigInput } from './sandbox-config.ts';
import { sandboxNotes } from './sandbox-notes.ts';
import { formatSandboxStatus } from './sandbox-status.ts';

const execFileAsync = promisify(execFile);
const sandbox = createSandbox();
const signal = new AbortController().signal;
let scratch: string;

beforeAll(async () => {
  scratch = await realpath(await mkdtemp(path.join(tmpdir(), 'cadre-sandbox-')));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function run(
  worktreeRoot: string,
  command: string,
  config: SandboxConfigInput = {},
): Promise<Extract<SandboxRun, { type: 'ran' }>> {
  const outcome = await sandbox.run({
    command,
    worktreeRoot,
    workingDirectory: worktreeRoot,
    timeoutMilliseconds: 30_000,
    config: SandboxConfig.parse(config),
    signal,
  });
  if (outcome.type !== 'ran') throw new Error(`refused: ${outcome.reason}`);
  return outcome;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await execFileAsync('git', args, { cwd, encoding: 'utf8' })).stdout;
}

describe('the sandbox', () => {
  it('shows git what a shared clone borrows, so git works in a worktree whose hub is hidden', async () => {
    const hub = path.join(scratch, 'hub');
    await mkdir(hub);
    await git(hub, 'init', '--quiet', '--initial-branch=main');
    await writeFile(path.join(hub, 'a.txt'), 'a\n');
    await git(hub, 'add', 'a.txt');
    await git(hub, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'one');
    const clone = path.join(scratch, 'clone');
    await git(scratch, 'clone', '--quiet', '--shared', hub, clone);
    await writeFile(path.join(clone, 'b.txt'), 'b\n');
    const outcome = await run(clone, 'git status --short && git log --oneline | wc -l && ls ../hub/a.txt');
    expect(outcome.result.output).toContain('?? b.txt');
    expect(outcome.result.output).toMatch(/^1$/m);
    // the hub's working files (and everything else beside the worktree) stay out of sight
    expect(outcome.result.output).toContain('No such file or directory');
  });

  it('gives an empty private HOME and /tmp, and hides the host beyond the system directories', async () => {
    const worktree = path.join(scratch, 'home-check');
    await mkdir(worktree);
    const outcome = await run(
      worktree,
      'echo "HOME=$HOME"; ls -A "$HOME" /tmp | wc -l; touch "$HOME/x" /tmp/y && echo writable; ls / | tr "\\n" " "',
    );
    expect(outcome.result.output).toContain('HOME=/home/agent');
    expect(outcome.result.output).toContain('writable');
    const root = outcome.result.output.trim().split('\n').at(-1)?.split(' ') ?? [];
    expect(root).not.toContain('root');
    expect(root).not.toContain('srv');
    expect(root).not.toContain('opt');
    expect(root).toEqual(expect.arrayContaining(['usr', 'etc', 'tmp', 'home', 'proc', 'dev']));
  });

  it('says which limit a command ran into', async () => {
    const worktree = path.join(scratch, 'limits');
    await mkdir(worktree);
    const config = SandboxConfig.parse({ limits: { maxProcesses: 32 } });
    const outcome = await run(worktree, 'for i in $(seq 100); do sleep 2 & done; wait', config);
    expect(outcome.limitsHit).toEqual([{ type: 'processes' }]);
    expect(sandboxNotes(outcome, config).join('\n')).toContain('limit of 32 processes');
  });

  it('says when the memory limit killed a process', async () => {
    const worktree = path.join(scratch, 'memory');
    await mkdir(worktree);
    const config = SandboxConfig.parse({ limits: { memoryBytes: 64 * 1024 ** 2 } });
    const hog = `node -e "const kept = []; for (;;) kept.push(Buffer.alloc(8 * 1024 * 1024, 1))"`;
    const outcome = await run(worktree, hog, config);
    expect(outcome.result.end).toEqual({ type: 'exited', exitCode: 137 });
    expect(outcome.limitsHit).toContainEqual({ type: 'memory' });
    expect(sandboxNotes(outcome, config).join('\n')).toContain('memory limit of 64 MiB');
  });

  it('reports what it enforces on this machine', async () => {
    const status = await sandbox.status(SandboxConfig.parse({}), signal);
    expect(status.type).toBe('sandboxed');
    expect(formatSandboxStatus(status)).toMatch(/^sandbox: bubblewrap, network none, /);
    const missing = await createSandbox().status(
      SandboxConfig.parse({ bubblewrapPath: '/nonexistent/bwrap', allowUnsandboxed: true }),
      signal,
    );
    expect(missing).toMatchObject({ type: 'unsandboxed', reason: expect.stringContaining('not installed') });
    expect(formatSandboxStatus(missing)).toContain('sandbox: NONE');
  });
});

describe('sandbox config', () => {
  it('refuses relative paths, "..", and / as a writable path', () => {
    const problems = (input: SandboxConfigInput) =>
      SandboxConfig.safeParse(input).error?.issues.map((issue) => issue.message) ?? [];
    expect(problems({ extraReadOnlyPaths: ['cache'] })).toEqual([
      'must be an absolute path (starting with /)',
    ]);
    expect(problems({ extraWritablePaths: ['/'] })).toEqual(['must not be /']);
    expect(problems({ extraWritablePaths: ['/var/../etc'] })).toEqual(['must not contain ".."']);
    expect(problems({ network: { type: 'allow-list', hosts: [] } })).toHaveLength(1);
  });

  it('reads the older allowNetwork switch as the full network', () => {
    expect(networkOf(SandboxConfig.parse({ allowNetwork: true }))).toEqual({ type: 'full' });
    expect(networkOf(SandboxConfig.parse({}))).toEqual({ type: 'none' });
  });

  it('names every extra path that does not exist', async () => {
    const config = SandboxConfig.parse({ extraReadOnlyPaths: ['/usr', '/nonexistent/cache'] });
    expect(await checkSandboxPaths(config)).toEqual([
      {
        key: 'extraReadOnlyPaths',
        path: '/nonexistent/cache',
        message: '/nonexistent/cache does not exist; create it or remove it from extraReadOnlyPaths',
      },
    ]);
  });
});
