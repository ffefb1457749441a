import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Model, ModelRequest, ModelToolResult } from '../llm/index.ts';
import { createScriptedModel, type ScriptedModel, type ScriptedTurn } from '../llm/testing/scripted-model.ts';
import { gitText } from '../workspace/index.ts';
import type { AgentJobResult } from './agent-runner.ts';
import { type ClaimedTask, claimWorkTask, runScriptedWorker } from './testing/scripted-fleet.ts';
import { createSimFleet, type SimFleet } from './testing/sim-fleet.ts';

const signal = new AbortController().signal;
const index = 'src/api/index.ts';
const seeded = "// The api area.\nexport const area = 'api';\n";

let fleet: SimFleet;
beforeEach(async () => {
  fleet = await createSimFleet({
    fleet: { planners: 0, workers: 0 },
    tasksPerPlanner: 1,
    latencyMs: 0,
    signal,
  });
});
afterEach(async () => fleet.cleanup());

const claimNewTask = (title: string, scope: string[]) => claimWorkTask(fleet, title, scope);
const runWorker = (claimed: ClaimedTask, model: Model) => runScriptedWorker(fleet, claimed, model, signal);

/** A model that awaits `before` ahead of its first answer (after its agent's worktree exists). */
function firstCallAwaits(model: ScriptedModel, before: () => Promise<unknown>): Model {
  let first = true;
  return {
    id: model.id,
    async generate(request, options) {
      if (first) {
        first = false;
        await before();
      }
      return model.generate(request, options);
    },
  };
}

/** Lands a change of index.ts for another task, the way another worker would, while ours works. */
async function landCompetingChange(): Promise<void> {
  const other = await claimNewTask('the other change', [index]);
  const worktree = await fleet.deps.worktrees.create({ label: other.agentId, signal });
  await writeFile(join(worktree.path, index), `${seeded}export const first = 'from the other worker';\n`);
  const outcome = await fleet.deps.lander.land({
    worktree,
    task: { runId: fleet.runId, taskId: other.task.id, fence: other.lease.fence, agentId: other.agentId },
    message: 'Add first',
    signal,
  });
  if (outcome.type !== 'landed') throw new Error(`the competing change did not land: ${outcome.type}`);
}

function call(name: string, input: unknown): { name: string; input: unknown } {
  return { name, input };
}

function calls(...toolCalls: { name: string; input: unknown }[]): ScriptedTurn {
  return { type: 'tool-calls', toolCalls };
}

/** The last result of `toolName` the model was shown in this request. */
function resultOf(request: ModelRequest | undefined, toolName: string): ModelToolResult | undefined {
  const results = (request?.messages ?? []).flatMap((message) =>
    message.role === 'tool' ? message.results : [],
  );
  return results.filter((result) => result.toolName === toolName).at(-1);
}

/** A file on the shared branch, with its final newline (gitText trims it). */
async function branchFile(path: string): Promise<string> {
  const cwd = fleet.deps.hub.objectSource;
  return `${await gitText(fleet.deps.git, ['show', `${fleet.deps.hub.branch}:${path}`], { cwd, signal })}\n`;
}

const ours = `${seeded}export const second = 'from this worker';\n`;
const both = `${seeded}export const first = 'from the other worker';\nexport const second = 'from this worker';\n`;

describe('a worker whose land hits a conflict in the same step as its handoff', () => {
  it('is refused the handoff, resolves the conflict, lands and completes its task', async () => {
    const claimed = await claimNewTask('add second', [index]);
    const scripted = createScriptedModel([
      calls(call('write_file', { path: index, content: ours })),
      calls(call('land', { message: 'Add second' }), call('handoff', { done: 'Added second' })),
      calls(call('write_file', { path: index, content: both })),
      calls(call('land', { message: 'Add second, keeping first' })),
      calls(call('handoff', { done: 'Added second next to first' })),
    ]);
    const outcome = await runWorker(claimed, firstCallAwaits(scripted, landCompetingChange));

    expect(outcome.result?.reason.type).toBe('completed');
    expect(outcome.settlement.type).toBe('complete');
    expect(scripted.remaining()).toBe(0);
    const refusal = resultOf(scripted.requests[2], 'handoff');
    expect(refusal?.isError).toBe(true);
    expect(refusal?.output).toMatch(
      /handoff refused: your last land did not land: it hit a conflict in src\/api\/index\.ts/,
    );
    expect(refusal?.output).toMatch(/call land again.*gaveUp: true/s);
    const task = await fleet.board.getTask(claimed.task.id);
    expect(task.status).toBe('done');
    expect(task.handoff).toBe('Done: Added second next to first');
    expect((task.result as { commit: string }).commit).toBe((await fleet.board.getLanding(task.id))?.commit);
    expect(await branchFile(index)).toBe(both);
  }, 60_000);

  it('gives up with a reason: the task fails with it and goes back to the board', async () => {
    const claimed = await claimNewTask('add second', [index]);
    const reason = 'the other worker rewrote the same export; the spec must say which one wins';
    const scripted = createScriptedModel([
      calls(call('write_file', { path: index, content: ours })),
      calls(call('land', { message: 'Add second' }), call('handoff', { done: 'Added second' })),
      calls(call('handoff', { done: 'Wrote second; could not land it', gaveUp: true, reason })),
    ]);
    const outcome = await runWorker(claimed, firstCallAwaits(scripted, landCompetingChange));

    expect(outcome.settlement).toMatchObject({ type: 'fail', retryable: true });
    expect(scripted.remaining()).toBe(0);
    expect(resultOf(scripted.requests[2], 'handoff')?.output).toMatch(/handoff refused/);
    const task = await fleet.board.getTask(claimed.task.id);
    expect(task).toMatchObject({ status: 'open', attempts: 1 });
    expect(task.failureReason).toBe(`Gave up: ${reason}\nDone: Wrote second; could not land it`);
    expect(await branchFile(index)).not.toContain('second');
  }, 60_000);
});

describe('two workers making the same change', () => {
  it('lands it once; the second is told it is already on the branch and completes as already done', async () => {
    const feature = 'src/api/feature.ts';
    const content = "export const feature = 'the same in both';\n";
    const first = await claimNewTask('add feature (first)', [feature]);
    const second = await claimNewTask('add feature (duplicate)', [feature]);
    const seedCount = await gitText(fleet.deps.git, ['rev-list', '--count', fleet.deps.hub.branch], {
      cwd: fleet.deps.hub.objectSource,
      signal,
    });
    const script = (done: string) =>
      createScriptedModel([
        calls(call('write_file', { path: feature, content })),
        calls(call('land', { message: 'Add feature' })),
        calls(call('handoff', { done })),
      ]);
    const firstModel = script('Added the feature');
    const secondModel = script('Already done by another task: the branch has the feature');
    // the duplicate's worktree predates the first landing, so its change is not empty until rebased
    let secondStarted!: () => void;
    const secondReady = new Promise<void>((resolve) => {
      secondStarted = resolve;
    });
    let firstJob!: Promise<AgentJobResult>;
    const secondJob = runWorker(
      second,
      firstCallAwaits(secondModel, async () => {
        secondStarted();
        await firstJob;
      }),
    );
    firstJob = runWorker(
      first,
      firstCallAwaits(firstModel, () => secondReady),
    );
    const [firstOutcome, secondOutcome] = await Promise.all([firstJob, secondJob]);

    expect(firstOutcome.settlement.type).toBe('complete');
    expect(secondOutcome.settlement.type).toBe('complete');
    const landOutput = resultOf(secondModel.requests[2], 'land')?.output ?? '';
    expect(landOutput).toMatch(/^nothing to land: your change is already on the shared branch/);
    const tip = await fleet.deps.hub.tip(signal);
    const landed = await fleet.board.getTask(first.task.id);
    expect((landed.result as { commit: string }).commit).toBe(tip);
    const duplicate = await fleet.board.getTask(second.task.id);
    expect(duplicate.status).toBe('done');
    expect(duplicate.result).toMatchObject({ commit: null, alreadyOnBranch: tip });
    expect(duplicate.handoff).toMatch(/^Already done: the branch held this change/);
    expect(await fleet.board.getLanding(second.task.id)).toBeNull();
    const count = await gitText(fleet.deps.git, ['rev-list', '--count', fleet.deps.hub.branch], {
      cwd: fleet.deps.hub.objectSource,
      signal,
    });
    expect(Number(count)).toBe(Number(seedCount) + 1);
    expect(await branchFile(feature)).toBe(content);
  }, 60_000);
});
