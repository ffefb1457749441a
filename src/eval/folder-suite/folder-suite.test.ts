import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCounter, createToolCounters, parseToolConfig } from '../../agent/index.ts';
import { createSimPolicyRegistry, parseModelsConfig } from '../../llm/index.ts';
import { createScriptedModel } from '../../llm/testing/index.ts';
import { createEvalModelFactory } from '../runner/eval-model-factory.ts';
import { runEval } from '../runner/run-eval.ts';
import { runTrial } from '../runner/run-trial.ts';
import { createOraclePolicies } from '../sim/oracle-policy.ts';
import { plansOf } from '../sim/plans-of.ts';
import type { Suite } from '../suite.ts';
import { createFolderSuiteDefinition, findSuiteFolders } from './folder-suite.ts';

const example = path.join(import.meta.dirname, '..', '__fixtures__', 'example-suite');
const signal = new AbortController().signal;
let work: string;
let suite: Suite;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'cadre-folder-run-'));
  const definition = await createFolderSuiteDefinition(example);
  suite = await definition.load({ signal, seed: 1, workDirectory: path.join(work, 'suite') });
});
afterAll(async () => {
  await suite.close();
  await rm(work, { recursive: true, force: true });
});

const toolContext = (root: string) => ({
  worktreeRoot: root,
  signal,
  counters: createToolCounters(),
  config: parseToolConfig({}),
});

const trialOf = (model: ReturnType<typeof createScriptedModel>, sampleId: string) =>
  runTrial({
    suite,
    sample: suite.samples.find((sample) => sample.id === sampleId)!,
    trial: 0,
    modelId: model.id,
    role: 'worker',
    model,
    seed: 1,
    costOf: () => 0.01,
    tokenCounter: createTokenCounter(),
    signal,
  });

describe('the example folder suite', () => {
  it('is found in its parent directory and loads with its solver, catalog and samples', async () => {
    expect(await findSuiteFolders(path.dirname(example))).toEqual([example]);
    expect(await findSuiteFolders(example)).toEqual([example]);
    expect(suite.solver).toMatchObject({ role: 'worker', maxSteps: 8 });
    expect(suite.solver.system).toMatch(/stockroom assistant/);
    expect(suite.samples).toHaveLength(4);
    expect(suite.entityCatalog?.known.has('SKU-104')).toBe(true);
    expect(suite.scorers(suite.samples[0]!).map((scorer) => scorer.name)).toEqual(['numeric-tolerance']);
  });

  it('runs end to end on the sim oracle models through the real loop, tools, scorers and detectors', async () => {
    const simPolicies = createSimPolicyRegistry(createOraclePolicies(plansOf(suite)));
    const run = await runEval({
      suite,
      modelIds: ['sim:oracle-strong'],
      trials: 6,
      concurrency: 4,
      seed: 1,
      createModel: createEvalModelFactory({ config: parseModelsConfig({}), env: {}, simPolicies }),
      costOf: () => 0,
      signal,
    });
    expect(run.records).toHaveLength(24);
    expect(run.records.every((record) => record.end.type !== 'infrastructure-error')).toBe(true);
    const [model] = run.summary.models;
    expect(model!.successRate).toBeGreaterThan(0.5);
    // The plan reads the context files with the files tool set, and asks the shop assistant for the quantity.
    const correct = run.records.find(
      (record) => record.sampleId === 'fill-order-103' && record.success === true,
    )!;
    const toolEnds = correct.events.filter(
      (event) => (event as { type: string }).type === 'tool-call-ended',
    ) as Array<{ toolName: string; outcome: { type: string; output: string } }>;
    const succeeded = toolEnds.filter((event) => event.outcome.type === 'success');
    expect(succeeded.map((event) => event.toolName)).toEqual(['ask_user', 'read_file']);
    expect(succeeded[0]!.outcome.output).toContain('They want 40 units.');
    expect(succeeded[1]!.outcome.output).toContain('SKU-103,Fountain pen,15,10,8');
  });

  it('grades a scripted agent that reads the files and answers', async () => {
    const agent = createScriptedModel([
      { type: 'tool-calls', toolCalls: [{ name: 'read_file', input: { path: 'inventory.csv' } }] },
      { type: 'text', text: 'Below reorder: two.\nANSWER: SKU-105, SKU-101' },
    ]);
    const record = await trialOf(agent, 'reorder');
    expect(record).toMatchObject({ success: true, toolCalls: 1, end: { type: 'answered' }, errors: [] });
    const hallucinating = createScriptedModel([{ type: 'text', text: 'ANSWER: SKU-101, SKU-777' }]);
    const wrong = await trialOf(hallucinating, 'reorder');
    expect(wrong.success).toBe(false);
    expect(wrong.errors.map((error) => error.kind)).toContain('hallucinated-entity');
  });
});

describe('a rubric scorer in a folder suite', () => {
  it("grades with the suite models' grader, counting its cost apart, and needs suite models", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'cadre-folder-rubric-'));
    try {
      await writeFile(
        path.join(folder, 'suite.json'),
        JSON.stringify({ name: 'graded', description: 'graded by a rubric', solver: { system: 'Explain.' } }),
      );
      await writeFile(
        path.join(folder, 'samples.jsonl'),
        '{"id":"r","input":"Why reorder?","reference":"stock below the point","scorers":[{"type":"rubric","rubric":"Names the reorder point.","grader":"scripted:grader"}]}\n',
      );
      const definition = await createFolderSuiteDefinition(folder);
      const workDirectory = path.join(folder, 'work');
      await expect(definition.load({ signal, seed: 1, workDirectory })).rejects.toThrow(/none were given/);
      const grader = createScriptedModel([{ type: 'text', text: '{"score": 0.9, "reasons": "names it"}' }], {
        id: 'scripted:grader',
      });
      const graded = await definition.load({
        signal,
        seed: 1,
        workDirectory,
        models: { createModel: () => grader, costOf: () => 0.02 },
      });
      const agent = createScriptedModel([
        { type: 'text', text: 'Stock fell below the point.\nANSWER: reorder' },
      ]);
      const record = await runTrial({
        suite: graded,
        sample: graded.samples[0]!,
        trial: 0,
        modelId: agent.id,
        role: 'worker',
        model: agent,
        seed: 1,
        costOf: () => 0,
        tokenCounter: createTokenCounter(),
        signal,
      });
      await graded.close();
      expect(record.scores[0]).toMatchObject({ scorer: 'rubric', passed: true, gradingCostUsd: 0.02 });
      expect(record.costUsd).toBe(0);
      expect(JSON.stringify(grader.requests[0]!.messages)).toContain('Names the reorder point.');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('the files tool set', () => {
  it('is read-only and confined to the copy of the context directory', async () => {
    const environment = await suite.prepare(suite.samples[0]!, { signal, seed: 1 });
    try {
      expect(environment.tools.map((tool) => tool.name).sort()).toEqual([
        'glob',
        'grep',
        'list_dir',
        'read_file',
      ]);
      expect(environment.worktreeRoot).not.toBe(path.join(example, 'context'));
      expect((await readdir(environment.worktreeRoot)).sort()).toEqual(['inventory.csv', 'suppliers.md']);
      const read = environment.tools.find((tool) => tool.name === 'read_file')!;
      const context = toolContext(environment.worktreeRoot);
      expect((await read.execute({ path: 'suppliers.md' }, context)).type).toBe('success');
      for (const outside of ['../suite.json', '../../samples.jsonl', path.join(example, 'suite.json')]) {
        const outcome = await read.execute({ path: outside }, context);
        expect(outcome.type).toBe('tool-error');
        expect(outcome.output).not.toContain('example-stockroom');
      }
      const list = environment.tools.find((tool) => tool.name === 'list_dir')!;
      expect((await list.execute({ path: '..' }, context)).type).toBe('tool-error');
    } finally {
      await environment.cleanup();
    }
  });
});

describe('the sandbox tool set', () => {
  it('gives the workspace tools over a copy of the context, graded by tests-pass', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'cadre-folder-sandbox-'));
    try {
      await cp(path.join(example, 'context'), path.join(folder, 'repo'), { recursive: true });
      await writeFile(
        path.join(folder, 'repo', 'check.mjs'),
        "import { readFileSync } from 'node:fs';\nif (readFileSync('answer.txt', 'utf8').trim() !== '57') process.exit(1);\n",
      );
      await writeFile(
        path.join(folder, 'suite.json'),
        JSON.stringify({
          name: 'sandboxed',
          description: 'write the answer to a file',
          solver: { system: 'Write the answer to answer.txt.', tools: 'sandbox' },
          scorers: [{ type: 'tests-pass', command: 'node check.mjs', timeoutSeconds: 20 }],
        }),
      );
      await writeFile(
        path.join(folder, 'samples.jsonl'),
        '{"id":"w","input":"Total stock of SKU-104 into answer.txt","context":"repo","reference":"57"}\n',
      );
      const sandboxed = await (await createFolderSuiteDefinition(folder)).load({
        signal,
        seed: 1,
        workDirectory: path.join(folder, 'work'),
      });
      const agent = createScriptedModel([
        {
          type: 'tool-calls',
          toolCalls: [{ name: 'write_file', input: { path: 'answer.txt', content: '57\n' } }],
        },
        { type: 'text', text: 'ANSWER: done' },
      ]);
      const record = await runTrial({
        suite: sandboxed,
        sample: sandboxed.samples[0]!,
        trial: 0,
        modelId: agent.id,
        role: 'worker',
        model: agent,
        seed: 1,
        costOf: () => null,
        tokenCounter: createTokenCounter(),
        signal,
      });
      await sandboxed.close();
      expect(record.scores[0]).toMatchObject({ scorer: 'tests-pass', passed: true });
      expect(record.success).toBe(true);
      // The agent wrote into its copy; the suite folder is untouched.
      await expect(readFile(path.join(folder, 'repo', 'answer.txt'))).rejects.toThrow();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
