import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteBoard } from '../board/index.ts';
import type { ReadyReport, WorkspaceSetupEvent } from '../workspace/index.ts';
import { setupPausedEventType } from './setup-pause.ts';
import { formatSetupSummary, readSetupSummary } from './setup-summary.ts';

const directory = mkdtempSync(join(tmpdir(), 'cadre-setup-summary-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const hit: ReadyReport = { type: 'template-hit', key: 'k1', share: 'hardlink', linkMs: 200 };
const built: ReadyReport = {
  type: 'template-built',
  key: 'k1',
  share: 'hardlink',
  setupMs: 20_000,
  linkMs: 300,
  output: '',
};
const failed: ReadyReport = {
  type: 'failed',
  key: 'k2',
  setupMs: 40,
  reason: '`npm ci` exited with code 1',
  output: 'npm error network',
};

describe('the setup summary of a run', () => {
  it('counts hits and misses, reports the create times, and says loudly when setup is failing', async () => {
    const board = openSqliteBoard({ path: join(directory, 'board.db') });
    const run = await board.createRun({ goal: 'summarise setups' });
    expect(await readSetupSummary(board, run.id)).toBeNull();
    const append = (report: ReadyReport, readyMs: number, phase: WorkspaceSetupEvent['phase'] = 'create') => {
      const payload: WorkspaceSetupEvent = {
        agentId: 'agent_1',
        taskId: null,
        worktree: 'w',
        phase,
        readyMs,
        report,
      };
      return board.appendEvent({ runId: run.id, type: 'workspace.setup', payload });
    };
    await append(built, 21_000);
    await append(hit, 250);
    await append(hit, 350);
    await append({ type: 'own-setup', key: 'k3', setupMs: 9000, output: '' }, 9000, 'refresh');
    const healthy = await readSetupSummary(board, run.id);
    expect(healthy).toMatchObject({
      ready: 4,
      templateBuilds: 1,
      templateHits: 2,
      ownSetups: 1,
      failures: 0,
      consecutiveFailures: 0,
      paused: null,
      readyMsP50: 350,
      readyMsMax: 21_000,
    });
    expect(formatSetupSummary(healthy!)).not.toMatch(/FAILING/);

    await append(failed, 40);
    await append(failed, 40);
    await board.appendEvent({
      runId: run.id,
      type: setupPausedEventType,
      payload: { consecutiveFailures: 2, reason: failed.reason },
    });
    const failing = await readSetupSummary(board, run.id);
    expect(failing).toMatchObject({ failures: 2, consecutiveFailures: 2, lastFailure: failed.reason });
    expect(failing?.paused).toContain('exited with code 1');
    expect(formatSetupSummary(failing!)).toMatch(/SETUP FAILING — run paused: .*exited with code 1/);

    // after `cadre resume` and a setup that works, the alarm clears but the history stays
    await append(hit, 200);
    const recovered = await readSetupSummary(board, run.id);
    expect(recovered).toMatchObject({ failures: 2, consecutiveFailures: 0, paused: null });
    expect(formatSetupSummary(recovered!)).toMatch(/2 failed earlier$/);
    await board.close();
  });
});
