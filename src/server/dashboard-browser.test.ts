import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleet } from '../orchestrator/index.ts';
import { createSimFleet, type SimFleet } from '../orchestrator/testing/sim-fleet.ts';
import { buildDashboard } from './build-dashboard.ts';
import { type RunningDashboard, startDashboard } from './serve.ts';

// the flags this machine needs: no sandbox (root in a container), no GPU, and nothing that reaches
// for the (closed) network
const chromiumArguments = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const outputDirectory = fileURLToPath(new URL('../../test-output/', import.meta.url));
const waitMs = 30_000;

describe('the dashboard in a real browser, over a live simulated run', () => {
  const run = new AbortController();
  let fleet: SimFleet;
  let dashboard: RunningDashboard;
  let browser: BrowserContext;
  let profile: string;
  let running: Promise<unknown>;
  let page: Page;

  beforeAll(async () => {
    const assetsDirectory = await buildDashboard();
    fleet = await createSimFleet({
      fleet: { planners: 1, workers: 3, cycles: 1, maxSubplanners: 2, maxPlannerDepth: 1 },
      tasksPerPlanner: 3,
      // slow enough that agents and tasks are seen moving, and a steer arrives before a worker ends
      latencyMs: 300,
      signal: run.signal,
    });
    dashboard = await startDashboard({ board: fleet.board, port: 0, assetsDirectory });
    profile = mkdtempSync(join(tmpdir(), 'cadre-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: chromiumArguments,
      viewport: { width: 1400, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(dashboard.url);
    await page.getByTestId('overview').waitFor({ timeout: waitMs });
    running = runFleet({ deps: fleet.deps, runId: fleet.runId, signal: run.signal }).catch((error) => error);
  }, 60_000);

  afterAll(async () => {
    run.abort();
    await running;
    await browser?.close();
    await dashboard?.close();
    await fleet?.cleanup();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows agents appear and tasks move live, delivers a steer, and renders the overview', async () => {
    // the token was taken from the fragment and the address bar cleaned
    expect(page.url()).not.toContain('token=');

    await page.goto(`${dashboard.origin}/#/agents`);
    const workers = page.locator('[data-testid="agent-tree"] [data-role="worker"]');
    await workers.first().waitFor({ timeout: waitMs });
    await expect
      .poll(() => page.locator('[data-testid="agent-tree"] [data-role="planner"]').count(), {
        timeout: waitMs,
      })
      .toBeGreaterThan(1);

    await page.goto(`${dashboard.origin}/#/tasks`);
    const doneCards = page.locator('[data-testid="column-done"] .task-card');
    const doneBefore = await doneCards.count();
    await expect.poll(() => doneCards.count(), { timeout: waitMs }).toBeGreaterThan(doneBefore);

    // steer a worker that is still running; a worker may end before it reads its inbox, so try
    // another one when that happens
    let delivered = false;
    for (let attempt = 0; attempt < 4 && !delivered; attempt++) {
      await page.goto(`${dashboard.origin}/#/agents`);
      const runningWorker = page
        .locator('[data-testid="agent-tree"] [data-role="worker"]:has(.status-running)')
        .first();
      await runningWorker.waitFor({ timeout: waitMs });
      await runningWorker.click();
      await page.getByTestId('agent-page').waitFor();
      const text = `please also add a changelog line (${attempt})`;
      await page.getByTestId('steer-input').fill(text);
      await page.getByTestId('steer-button').click();
      await expect
        .poll(() => page.getByTestId('control-status').textContent(), { timeout: waitMs })
        .toBe('steer sent');
      const steered = page.locator('.entry-agent-steer-received', { hasText: text });
      const ended = page.locator('.entry-agent-agent-ended');
      await Promise.race([steered.waitFor({ timeout: waitMs }), ended.waitFor({ timeout: waitMs })]);
      delivered = (await steered.count()) > 0;
    }
    expect(delivered).toBe(true);
    await page.locator('.entry-agent-steer-received').first().scrollIntoViewIfNeeded();
    mkdirSync(outputDirectory, { recursive: true });
    await page.screenshot({ path: join(outputDirectory, 'dashboard-agent.png'), fullPage: false });

    await page.goto(`${dashboard.origin}/#/tasks`);
    await page.getByTestId('task-board').waitFor();
    await page.screenshot({ path: join(outputDirectory, 'dashboard-tasks.png') });
    await page.goto(`${dashboard.origin}/#/`);
    await page.getByTestId('overview').waitFor();
    await expect.poll(() => page.locator('.chart .line-tokens').count(), { timeout: waitMs }).toBe(1);
    await page.screenshot({ path: join(outputDirectory, 'dashboard-overview.png'), fullPage: true });
  }, 90_000);
});
