import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGit } from '../git/run-git.ts';
import { openLocalHub } from '../hub/open-local-hub.ts';
import { createClaimedTasks } from '../testing/claimed-tasks.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { createWorktreeManager } from '../worktree/create-worktree-manager.ts';
import { createLander } from './create-lander.ts';
import type { LandingEvent } from './land-outcome.ts';
import { parseTaskTrailers, trailerFormat } from './task-trailers.ts';

const repo = createTempRepo();
afterAll(() => repo.cleanup());

describe('concurrent landing', () => {
  it('20 landers with disjoint files all land once, on a linear history, each commit with its trailers', async () => {
    const signal = new AbortController().signal;
    const git = createGit();
    const hub = await openLocalHub({ userRepo: repo.userRepo, git, signal });
    const { board, runId, leases } = await createClaimedTasks(join(repo.directory, 'board.db'), 20);
    const worktrees = createWorktreeManager({ hub, root: join(repo.directory, 'worktrees'), git });
    const events: LandingEvent[] = [];
    // every lander races for the tip at once (no in-process queue), so lost pushes and retries happen
    const lander = createLander({
      hub,
      board,
      git,
      concurrentAttempts: 20,
      onEvent: (event) => events.push(event),
    });

    const outcomes = await Promise.all(
      leases.map(async (lease, index) => {
        const worktree = await worktrees.create({ label: `agent-${index}`, signal });
        repo.write(`src/file-${index}.txt`, `work of lander ${index}\n`, worktree.path);
        const outcome = await lander.land({
          worktree,
          task: { runId, taskId: lease.taskId, fence: lease.fence, agentId: `agent-${index}` },
          message: `Add file ${index}`,
          signal,
        });
        await worktrees.release(worktree, { failed: false, signal });
        return outcome;
      }),
    );

    expect(outcomes.map((outcome) => outcome.type)).toEqual(Array(20).fill('landed'));
    const history = repo
      .git(['log', '--first-parent', '--format=%H %P', hub.branch], hub.url)
      .trim()
      .split('\n');
    expect(history).toHaveLength(21);
    // linear: every commit has at most one parent
    for (const line of history) expect(line.split(' ').length).toBeLessThanOrEqual(2);
    expect(repo.git(['rev-list', '--merges', '--count', hub.branch], hub.url).trim()).toBe('0');

    const records = repo
      .git(['log', `--format=%H%x1f${trailerFormat}%x1e`, `${hub.seedCommit}..${hub.branch}`], hub.url)
      .split('\x1e')
      .map((record) => record.trim())
      .filter(Boolean)
      .map((record) => {
        const [commit = '', trailers = ''] = record.split('\x1f');
        return { commit, trailers: parseTaskTrailers(trailers) };
      });
    expect(records).toHaveLength(20);
    expect(records.every((record) => record.trailers?.runId === runId)).toBe(true);
    expect(new Set(records.map((record) => record.trailers?.taskId))).toEqual(
      new Set(leases.map((lease) => lease.taskId)),
    );
    for (const lease of leases) {
      const landing = await board.getLanding(lease.taskId);
      const record = records.find((entry) => entry.trailers?.taskId === lease.taskId);
      expect(landing?.commit).toBe(record?.commit);
      expect(record?.trailers?.fence).toBe(lease.fence);
    }
    const tree = repo.git(['ls-tree', '-r', '--name-only', hub.branch, 'src/'], hub.url).trim().split('\n');
    expect(tree).toHaveLength(20);

    expect(events.filter((event) => event.type === 'landing.landed')).toHaveLength(20);
    expect(events.some((event) => event.type === 'landing.retry')).toBe(true);
    const landed = events.find((event) => event.type === 'landing.landed');
    expect(landed).toMatchObject({ source: 'push', files: [expect.stringMatching(/^src\/file-\d+\.txt$/)] });
    await board.close();
  });
});
