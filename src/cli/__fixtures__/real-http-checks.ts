import { expect } from 'vitest';
import { z } from 'zod';
import { roleOfRequest } from '../../llm/testing/role-play/index.ts';
import type { BoardEvent } from '../../protocol/index.ts';
import type { RealHttpFleetRun } from './real-http-fleet.ts';

const telling = /^(task\.failed|model\.|landing\.not-landed|run\.|cycle\.)/;

function describeEvent(event: BoardEvent): string {
  const payload = JSON.stringify(event.payload);
  const who = [event.agentId, event.taskId].filter(Boolean).join(' ');
  return `#${event.seq} ${event.type} ${who} ${payload.length > 300 ? `${payload.slice(0, 299)}…` : payload}`;
}

function endedBadly(event: BoardEvent): boolean {
  if (event.type !== 'agent.agent-ended') return false;
  const ended = z.object({ reason: z.object({ type: z.string() }) }).safeParse(event.payload);
  return !ended.success || ended.data.reason.type !== 'completed';
}

/**
 * The lines of a run that explain a failure: failed tasks, agents that did not complete, model
 * retries and fallbacks, landings that did not land, and the tail of the CLI's stderr.
 */
export function diagnose(run: RealHttpFleetRun): string {
  const lines = run.events
    .filter((event) => telling.test(event.type) || endedBadly(event))
    .map(describeEvent);
  const stderr = run.stderr.trim().split('\n').slice(-15);
  const killed = run.timedOut ? [`KILLED at its deadline after ${run.elapsedMs} ms: the run hung`] : [];
  return [...killed, 'board events:', ...lines.slice(-60), 'stderr:', ...stderr].join('\n');
}

/** Tasks of one kind in one cycle. */
function tasksOf(run: RealHttpFleetRun, cycleId: string, kind: string) {
  return run.tasks.filter((task) => task.cycleId === cycleId && task.kind === kind);
}

/** The run ended well after two cycles: cycle 1 went on, cycle 2 stopped, every role ran in each. */
export function expectTwoJudgedCycles(run: RealHttpFleetRun): void {
  const why = diagnose(run);
  expect(run.code, why).toBe(0);
  expect(run.summary?.status, why).toBe('done');
  expect(
    run.summary?.cycles.map((cycle) => cycle.verdict?.continue),
    why,
  ).toEqual([true, false]);
  expect(run.cycles.map((cycle) => cycle.n)).toEqual([1, 2]);
  for (const cycle of run.cycles) {
    const plans = tasksOf(run, cycle.id, 'plan');
    const planIds = new Set(plans.map((task) => task.id));
    const subplanners = plans.filter((task) => task.parentId !== null && planIds.has(task.parentId));
    expect(plans.length - subplanners.length, `root planners of cycle ${cycle.n}\n${why}`).toBe(1);
    for (const plan of plans) expect(plan.status, `${plan.id} ${plan.title}\n${why}`).toBe('done');
    const work = tasksOf(run, cycle.id, 'work');
    expect(
      work.filter((task) => task.status === 'done').length,
      `work of cycle ${cycle.n}\n${why}`,
    ).toBeGreaterThan(0);
    const judges = tasksOf(run, cycle.id, 'judge').filter((task) => task.status === 'done');
    expect(judges.length, `judges of cycle ${cycle.n}\n${why}`).toBe(1);
  }
}

/** Sub-planners were spawned and finished in every cycle (the role-player delegates one area of three). */
export function expectSubplanners(run: RealHttpFleetRun): void {
  for (const cycle of run.cycles) {
    const plans = tasksOf(run, cycle.id, 'plan');
    const planIds = new Set(plans.map((task) => task.id));
    const subplanners = plans.filter((task) => task.parentId !== null && planIds.has(task.parentId));
    expect(subplanners.length, `sub-planners of cycle ${cycle.n}\n${diagnose(run)}`).toBeGreaterThan(0);
  }
}

/** Every done work task landed exactly once, nothing else landed, and no commit on the branch is empty. */
export function expectEachTaskLandedOnce(run: RealHttpFleetRun): void {
  const why = diagnose(run);
  const done = run.tasks
    .filter((task) => task.kind === 'work' && task.status === 'done')
    .map((task) => task.id);
  const landed = run.landedTaskIds;
  expect(new Set(landed).size, `a task landed twice: ${landed.join(', ')}\n${why}`).toBe(landed.length);
  expect([...landed].sort(), why).toEqual([...done].sort());
  expect(run.emptyCommits, `empty commits on the branch\n${why}`).toEqual([]);
  const lost = run.tasks.filter((task) => task.kind === 'work' && task.status !== 'done');
  expect(
    lost.map((task) => `${task.id} ${task.status}: ${task.title}`),
    why,
  ).toEqual([]);
}

/** `cadre status --json` counts, per role, exactly the tokens the server served for that role's requests. */
export function expectUsageMatchesLedger(run: RealHttpFleetRun): void {
  const why = diagnose(run);
  for (const role of ['planner', 'worker', 'judge'] as const) {
    const counted = run.status?.usage.byRole[role];
    const served = run.served.byRole[role];
    expect(served?.answers ?? 0, `${role} answers served`).toBeGreaterThan(0);
    expect(
      { inputTokens: counted?.inputTokens, outputTokens: counted?.outputTokens },
      `usage of the ${role}s\n${why}`,
    ).toEqual({ inputTokens: served?.inputTokens, outputTokens: served?.outputTokens });
  }
  expect(run.served.byRole.unknown, 'requests no role answers').toBeUndefined();
}

/** Dollars per million tokens, as a test configures them for one served model name. */
export interface TestPrice {
  input: number;
  output: number;
}

/**
 * `cadre status --json` charges each role exactly what the tokens the server served for that role's
 * requests cost at the given prices (keyed by the model name the request asked for). Worked out here
 * from the ledger, not with cadre's own pricing code; the role-playing model reports no cached tokens,
 * which is checked, so input and output rates are all there is.
 */
export function expectCostsMatchPrices(run: RealHttpFleetRun, prices: Record<string, TestPrice>): void {
  const why = diagnose(run);
  const expected: Record<string, number> = {};
  for (const answer of run.server.ledger) {
    const request = run.server.requests[answer.requestIndex];
    const role = request === undefined ? 'unknown' : roleOfRequest(request);
    const price = prices[answer.model];
    expect(price, `no test price for the served model ${answer.model}`).toBeDefined();
    expect(answer.usage.cachedInputTokens + answer.usage.cacheWriteTokens).toBe(0);
    const dollars =
      (answer.usage.inputTokens * (price?.input ?? 0) + answer.usage.outputTokens * (price?.output ?? 0)) /
      1e6;
    expected[role] = (expected[role] ?? 0) + dollars;
  }
  for (const role of ['planner', 'worker', 'judge'] as const) {
    const charged = run.status?.usage.byRole[role]?.costUsd;
    expect(expected[role] ?? 0, `dollars served to the ${role}s`).toBeGreaterThan(0);
    expect(charged, `dollars of the ${role}s in cadre status\n${why}`).toBeCloseTo(expected[role] ?? 0, 9);
  }
}
