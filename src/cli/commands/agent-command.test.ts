import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkthroughNoteFile } from '../../agent/index.ts';
import { createTempWorktree, type TempWorktree } from '../../tools/testing/temp-worktree.ts';
import { runInProcess } from '../testing/run-cli.ts';
import { registerAgentCommand } from './agent-command.ts';

let repo: TempWorktree;
afterEach(async () => {
  await repo.remove();
});

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runInProcess(registerAgentCommand, args, { cwd: repo.root, env });
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('cadre agent', () => {
  it('runs the sim walkthrough in a throwaway worktree and leaves the working tree alone', async () => {
    repo = await createTempWorktree({
      git: true,
      files: { 'README.md': '# Demo\n', 'src/a.ts': 'export {};\n' },
    });
    await repo.write('draft.txt', 'uncommitted work\n');
    const statusBefore = await repo.git('status', '--porcelain');
    const { stdout, error } = await runCli(['agent', '--repo', '.', '--task', 'Add a greeting']);
    expect(error).toBeNull();
    expect(stdout).toContain('SIMULATION');
    expect(stdout).toContain('→ list_dir');
    expect(stdout).toContain('→ write_file');
    expect(stdout).toContain('→ run_shell');
    expect(stdout).toContain('end reason: completed');
    expect(stdout).toMatch(/steps: 6 {3}tool calls: 5/);
    expect(stdout).toContain('failures: invalidInput 0, unknownTool 0, toolErrors 0, missingPaths 0');
    expect(stdout).toContain(`?? ${walkthroughNoteFile}`);
    expect(stdout).toMatch(/dollars: \$0\.0000/);
    // The user's tree, index and worktree list are as they were.
    expect(await repo.git('status', '--porcelain')).toBe(statusBefore);
    expect(await exists(path.join(repo.root, walkthroughNoteFile))).toBe(false);
    expect((await repo.git('worktree', 'list')).trim().split('\n')).toHaveLength(1);
  });

  it('prints events and a summary as JSON lines', async () => {
    repo = await createTempWorktree({ git: true, files: { 'README.md': '# Demo\n' } });
    const { stdout, error } = await runCli([
      'agent',
      '--repo',
      repo.root,
      '--task',
      'x',
      '--json',
      '--max-steps',
      '2',
    ]);
    expect(error).toBeNull();
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines[0]).toMatchObject({ type: 'agent-workspace', isolated: true, simulated: true });
    expect(lines.map((line) => line.type)).toContain('tool-call-ended');
    expect(lines.at(-1)).toMatchObject({
      type: 'agent-summary',
      reason: { type: 'budget', budget: 'steps', limit: 2 },
      steps: 2,
      toolCalls: 2,
    });
  });

  it('works in place, and says so, when the directory is not a git repository', async () => {
    repo = await createTempWorktree({ files: { 'notes.txt': 'hi\n' } });
    const { stdout, error } = await runCli(['agent', '--repo', '.', '--task', 'x']);
    expect(error).toBeNull();
    expect(stdout).toContain('not a git repository');
    expect(await exists(path.join(repo.root, walkthroughNoteFile))).toBe(true);
  });

  it('refuses a real model without its key, naming the variable', async () => {
    repo = await createTempWorktree({ git: true });
    const { error } = await runCli([
      'agent',
      '--repo',
      '.',
      '--task',
      'x',
      '--model',
      'anthropic:claude-opus-4-5',
    ]);
    expect(error?.name).toBe('UsageError');
    expect(error?.message).toContain('ANTHROPIC_API_KEY');
    expect((await repo.git('worktree', 'list')).trim().split('\n')).toHaveLength(1);
  });

  it('refuses unknown sim policies and roles', async () => {
    repo = await createTempWorktree({ git: true });
    expect(
      (await runCli(['agent', '--repo', '.', '--task', 'x', '--model', 'sim:oracle'])).error?.message,
    ).toContain('walkthrough');
    expect(
      (await runCli(['agent', '--repo', '.', '--task', 'x', '--model', 'worker'])).error?.message,
    ).toContain('neither a model id');
  });
});
