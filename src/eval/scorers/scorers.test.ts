import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolCounters, parseToolConfig } from '../../agent/index.ts';
import { createScriptedModel } from '../../llm/testing/index.ts';
import { createSandbox } from '../../sandbox/index.ts';
import { createTempWorktree } from '../../tools/testing/temp-worktree.ts';
import type { Sample, Suite, TrialEnvironment } from '../suite.ts';
import { generateCodingRepositories } from '../suites/coding/generate-coding-repos.ts';
import { underwritingSuite } from '../suites/underwriting/underwriting-suite.ts';
import {
  createExactMatchScorer,
  createNumericToleranceScorer,
  createSetMatchScorer,
  parseNumber,
} from './match-scorers.ts';
import { isTestPath } from './pristine-files.ts';
import { createRubricScorer } from './rubric-scorer.ts';
import { combineScores, type ScoreInput } from './scorer.ts';
import { createTestsPassScorer } from './tests-pass-scorer.ts';

const signal = new AbortController().signal;
const sample: Sample = {
  id: 's',
  taskType: 't',
  input: 'q',
  context: {},
  reference: '1,000,000',
  hiddenFacts: [],
};
const noEnvironment = {} as TrialEnvironment;
const input = (answer: string | null, reference = sample.reference): ScoreInput => ({
  sample: { ...sample, reference },
  answer,
  finalText: answer ?? '',
  environment: noEnvironment,
  signal,
});

describe('match scorers', () => {
  it('exact and normalized match', async () => {
    expect((await createExactMatchScorer({ normalized: false }).score(input('Refer', 'refer'))).passed).toBe(
      false,
    );
    expect(
      (await createExactMatchScorer({ normalized: true }).score(input(' Refer. ', 'refer'))).passed,
    ).toBe(true);
    expect((await createExactMatchScorer({ normalized: true }).score(input(null, 'refer'))).passed).toBe(
      false,
    );
  });

  it('set match ignores order, case and spaces', async () => {
    const scorer = createSetMatchScorer();
    expect((await scorer.score(input('PRP-201, gl-101', 'GL-101, PRP-201'))).passed).toBe(true);
    expect((await scorer.score(input('GL-101', 'GL-101, PRP-201'))).passed).toBe(false);
    expect((await scorer.score(input('none', 'none'))).passed).toBe(true);
  });

  it('numeric tolerance reads $ and thousands separators', async () => {
    expect(parseNumber('$1,000,000 per occurrence')).toBe(1_000_000);
    const scorer = createNumericToleranceScorer({ relative: 0.01 });
    expect((await scorer.score(input('$1,005,000'))).passed).toBe(true);
    expect((await scorer.score(input('1,020,000'))).passed).toBe(false);
    expect((await scorer.score(input('no idea'))).passed).toBe(false);
    expect((await createNumericToleranceScorer({ absolute: 0.5 }).score(input('2.4', '2'))).passed).toBe(
      true,
    );
  });

  it('combines as a product unless told to average', () => {
    const pass = { scorer: 'a', value: 1, passed: true, explanation: '', gradingCostUsd: 0 };
    const half = { scorer: 'b', value: 0.5, passed: false, explanation: '', gradingCostUsd: 0 };
    expect(combineScores([pass, half], { type: 'product' })).toEqual({ value: 0.5, passed: false });
    expect(combineScores([pass, half], { type: 'mean', threshold: 0.7 })).toEqual({
      value: 0.75,
      passed: true,
    });
    expect(combineScores([], { type: 'product' }).passed).toBe(false);
  });
});

describe('state check on real SQLite state', () => {
  let suite: Suite;
  beforeAll(async () => {
    suite = await underwritingSuite.load({
      signal,
      seed: 3,
      workDirectory: await mkdtemp(path.join(tmpdir(), 'cadre-eval-')),
    });
  });
  afterAll(() => suite.close());

  it('passes only when the recorded decision is the reference', async () => {
    const decision = suite.samples.find((item) => item.taskType === 'decision')!;
    const wrong = { in: 'out', refer: 'in', out: 'refer' }[decision.reference as 'in']!;
    const grade = async (recorded: string | null) => {
      const environment = await suite.prepare(decision, { signal, seed: 1 });
      try {
        const tool = environment.tools.find((item) => item.name === 'record_decision')!;
        const context = {
          worktreeRoot: environment.worktreeRoot,
          signal,
          counters: createToolCounters(),
          config: parseToolConfig({}),
        };
        if (recorded !== null) {
          const outcome = await tool.execute(
            {
              businessId: decision.context.businessId,
              productCode: decision.context.productCode,
              decision: recorded,
            },
            context,
          );
          expect(outcome.type).toBe('success');
        }
        const [, stateCheck] = suite.scorers(decision);
        return stateCheck!.score({ sample: decision, answer: recorded, finalText: '', environment, signal });
      } finally {
        await environment.cleanup();
      }
    };
    expect((await grade(decision.reference)).passed).toBe(true);
    expect((await grade(wrong)).passed).toBe(false);
    expect((await grade(null)).explanation).toMatch(/recorded \[\]/);
  });
});

describe('tests-pass on real repositories in the sandbox', () => {
  const repository = generateCodingRepositories().find((item) => item.sample.taskType === 'fix-bug')!;
  const scorer = createTestsPassScorer({
    command: 'node test.mjs',
    sandbox: createSandbox(),
    pristineFiles: async () => new Map([['test.mjs', Buffer.from(repository.files['test.mjs']!)]]),
  });

  it('passes the fixed repository and fails the buggy one', async () => {
    const worktree = await createTempWorktree({ files: repository.files });
    try {
      const environment = { worktreeRoot: worktree.root } as TrialEnvironment;
      const score = () =>
        scorer.score({ sample: repository.sample, answer: 'done', finalText: '', environment, signal });
      expect((await score()).passed).toBe(false);
      const fix = repository.plan.calls.find((call) => call.name === 'write_file')!.input as {
        path: string;
        content: string;
      };
      await worktree.write(fix.path, fix.content);
      const passed = await score();
      expect(passed.explanation).toContain('all tests passed');
      expect(passed.passed).toBe(true);
    } finally {
      await worktree.remove();
    }
  });

  it('fails an agent that rewrote, deleted or symlinked the test instead of fixing the code', async () => {
    const tamperings: Record<string, (root: string) => Promise<void>> = {
      rewritten: (root) => writeFile(path.join(root, 'test.mjs'), "console.log('all tests passed');\n"),
      deleted: (root) => rm(path.join(root, 'test.mjs')),
      symlinked: async (root) => {
        const fake = path.join(root, 'fake-test.mjs');
        await writeFile(fake, "console.log('all tests passed');\n");
        await rm(path.join(root, 'test.mjs'));
        await symlink(fake, path.join(root, 'test.mjs'));
      },
    };
    for (const [name, tamper] of Object.entries(tamperings)) {
      const worktree = await createTempWorktree({ files: repository.files });
      try {
        await tamper(worktree.root);
        const environment = { worktreeRoot: worktree.root } as TrialEnvironment;
        const score = await scorer.score({
          sample: repository.sample,
          answer: 'done',
          finalText: '',
          environment,
          signal,
        });
        expect({ name, passed: score.passed }).toEqual({ name, passed: false });
        // the trial is graded on a copy: the agent's end state stays as it left it
        expect(await readFile(path.join(worktree.root, 'test.mjs'), 'utf8').catch(() => 'gone')).not.toBe(
          repository.files['test.mjs'],
        );
      } finally {
        await worktree.remove();
      }
    }
  });
});

describe('pristine files', () => {
  it('takes the files that look like tests', () => {
    const tests = [
      'test.mjs',
      'src/foo.test.ts',
      'tests/a.py',
      'spec/b_spec.rb',
      'test_parser.py',
      'a/__tests__/x.js',
    ];
    const others = ['src/index.ts', 'README.md', 'latest.txt', 'contest/x.js', 'src/testing-helpers.ts'];
    expect(tests.filter(isTestPath)).toEqual(tests);
    expect(others.filter(isTestPath)).toEqual([]);
  });
});

describe('rubric scorer', () => {
  it('parses the grader reply, counts its cost and scores 0 on an unparseable reply', async () => {
    const grader = createScriptedModel([
      { type: 'text', text: 'Here: {"score": 0.8, "reasons": "mentions the cap"}' },
      { type: 'text', text: 'I think it is fine' },
    ]);
    const scorer = createRubricScorer({ grader, rubric: 'Mentions the hazard cap.', costOf: () => 0.01 });
    const good = await scorer.score(input('1,000,000'));
    expect(good).toMatchObject({
      value: 0.8,
      passed: true,
      gradingCostUsd: 0.01,
      explanation: 'mentions the cap',
    });
    expect(grader.requests[0]?.messages[0]).toMatchObject({ role: 'user' });
    const bad = await scorer.score(input('1,000,000'));
    expect(bad.passed).toBe(false);
    expect(bad.explanation).toMatch(/did not parse/);
  });
});
