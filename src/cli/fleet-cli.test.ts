import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteBoard } from '../board/index.ts';
import { createDemoRepository } from '../orchestrator/index.ts';
import { createGit } from '../workspace/index.ts';
import { runCli } from './testing/run-cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cadre-fleet-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const sim = ['--model', 'planner=sim:planner', '--model', 'worker=sim:worker', '--model', 'judge=sim:judge'];

describe('cadre run tells the truth about how the run ended', () => {
  it('exits 1 and says why when no model ever answered', async () => {
    const repo = await createDemoRepository({
      directory: join(scratch, 'repo'),
      git: createGit(),
      signal: new AbortController().signal,
    });
    // every simulated call fails like a provider outage, and nothing retries it
    const models = { sim: { faults: { serverError: 1 } }, retry: { maxElapsedMs: 0, maxAttempts: 1 } };
    writeFileSync(
      join(repo, 'cadre.config.json'),
      JSON.stringify({ models, fleet: { workers: 1, planners: 1 } }),
    );
    const result = await runCli(['run', '--goal', 'add modules', ...sim], { cwd: repo });

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/: failed \(no model answered: /);
    expect(result.stdout).toMatch(/note: planner of "plan cycle 1" .* ended early: planned nothing/);
    expect(result.stderr).toMatch(/cadre: run \S+ failed: no model answered: \d+ call\(s\) failed/);
    const board = openSqliteBoard({ path: join(repo, '.cadre', 'board.db'), create: false });
    try {
      const [run] = await board.listRuns({ limit: 1 });
      expect(run?.status).toBe('failed');
    } finally {
      await board.close();
    }
  }, 120_000);
});
