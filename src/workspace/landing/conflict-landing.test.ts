import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGit } from '../git/run-git.ts';
import { openLocalHub } from '../hub/open-local-hub.ts';
import { createClaimedTasks } from '../testing/claimed-tasks.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { createWorktreeManager } from '../worktree/create-worktree-manager.ts';
import { createLander } from './create-lander.ts';
import { formatConflictReport } from './format-conflict-report.ts';

const repo = createTempRepo({ 'shared.txt': 'one\ntwo\nthree\n', 'other.txt': 'other\n' });
afterAll(() => repo.cleanup());

describe('conflicting landings', () => {
  it('gives the later lander a report with both sides, and lands it after the worker resolves', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    const hub = await openLocalHub({ userRepo: repo.userRepo, git, signal });
    const { board, runId, leases } = await createClaimedTasks(join(repo.directory, 'board.db'), 2);
    const [first, second] = leases as [(typeof leases)[0], (typeof leases)[0]];
    const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees'), git });
    const lander = createLander({ hub, board, git });
    const early = await worktrees.create({ label: 'agent-early', signal });
    const late = await worktrees.create({ label: 'agent-late', signal });
    repo.write('shared.txt', 'one\nTWO FROM EARLY\nthree\n', early.path);
    repo.write('shared.txt', 'one\ntwo from late\nthree\n', late.path);
    repo.write('late-only.txt', 'a file only the late lander adds\n', late.path);
    const taskOf = (lease: typeof first, agentId: string) => ({
      runId,
      taskId: lease.taskId,
      fence: lease.fence,
      agentId,
    });

    const earlyOutcome = await lander.land({
      worktree: early,
      task: taskOf(first, 'agent-early'),
      message: 'Early edit',
      signal,
    });
    expect(earlyOutcome.type).toBe('landed');
    const tipAfterEarly = repo.git(['rev-parse', hub.branch], hub.url).trim();

    const lateOutcome = await lander.land({
      worktree: late,
      task: taskOf(second, 'agent-late'),
      message: 'Late edit',
      signal,
    });
    if (lateOutcome.type !== 'conflict') throw new Error(`expected a conflict, got ${lateOutcome.type}`);
    const { report } = lateOutcome;
    expect(report.tip).toBe(tipAfterEarly);
    expect(report.files).toHaveLength(1);
    const [file] = report.files;
    expect(file).toMatchObject({ path: 'shared.txt', conflict: 'contents' });
    expect(file?.hunks).toEqual([
      { line: 2, branch: 'TWO FROM EARLY\n', base: 'two\n', task: 'two from late\n' },
    ]);
    expect(file?.commits).toEqual([
      { commit: tipAfterEarly, subject: 'Early edit', taskId: first.taskId, agentId: 'agent-early' },
    ]);
    expect(formatConflictReport(report)).toContain('TWO FROM EARLY');
    // the branch did not move, and the worktree is usable: no rebase in progress, on the tip, markers in the file
    expect(repo.git(['rev-parse', hub.branch], hub.url).trim()).toBe(tipAfterEarly);
    expect(existsSync(join(late.path, '.git', 'rebase-merge'))).toBe(false);
    expect(repo.git(['rev-parse', 'HEAD'], late.path).trim()).toBe(tipAfterEarly);
    expect(repo.git(['status', '--porcelain'], late.path)).toBe(' M shared.txt\n?? late-only.txt\n');
    const marked = await readFile(join(late.path, 'shared.txt'), 'utf8');
    expect(marked).toContain('<<<<<<<');
    expect(marked).toContain('TWO FROM EARLY');

    // landing again without resolving is refused
    const unresolved = await lander.land({
      worktree: late,
      task: taskOf(second, 'agent-late'),
      message: 'Late edit',
      signal,
    });
    expect(unresolved).toEqual({ type: 'unresolved-conflict', files: ['shared.txt'] });

    // the scripted resolution keeps both sides
    const [hunk] = file?.hunks ?? [];
    await writeFile(join(late.path, 'shared.txt'), `one\n${hunk?.branch}${hunk?.task}three\n`);
    const resolved = await lander.land({
      worktree: late,
      task: taskOf(second, 'agent-late'),
      message: 'Late edit',
      signal,
    });
    expect(resolved).toMatchObject({ type: 'landed', files: ['late-only.txt', 'shared.txt'] });
    expect(repo.git(['show', `${hub.branch}:shared.txt`], hub.url)).toBe(
      'one\nTWO FROM EARLY\ntwo from late\nthree\n',
    );
    expect(repo.git(['rev-list', '--count', `${hub.seedCommit}..${hub.branch}`], hub.url).trim()).toBe('2');
    await board.close();
  });

  it('reports a file the branch deleted and the task modified', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    const hub = await openLocalHub({
      userRepo: repo.userRepo,
      git,
      signal,
      path: join(repo.directory, 'hub-delete.git'),
    });
    const { board, runId, leases } = await createClaimedTasks(join(repo.directory, 'board-delete.db'), 2);
    const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees-delete'), git });
    const lander = createLander({ hub, board, git });
    const deleter = await worktrees.create({ label: 'deleter', signal });
    const editor = await worktrees.create({ label: 'editor', signal });
    repo.git(['rm', '--quiet', 'other.txt'], deleter.path);
    repo.write('other.txt', 'edited\n', editor.path);
    const task = (index: number) => ({
      runId,
      taskId: leases[index]?.taskId ?? '',
      fence: leases[index]?.fence ?? 0,
      agentId: `a-${index}`,
    });
    expect(
      (await lander.land({ worktree: deleter, task: task(0), message: 'Delete other', signal })).type,
    ).toBe('landed');
    const outcome = await lander.land({ worktree: editor, task: task(1), message: 'Edit other', signal });
    if (outcome.type !== 'conflict') throw new Error(`expected a conflict, got ${outcome.type}`);
    expect(outcome.report.files).toMatchObject([{ path: 'other.txt', conflict: 'modify/delete', hunks: [] }]);
    await board.close();
  });
});
