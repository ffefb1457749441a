import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emptyUsage } from '../../../llm/index.ts';
import { createSandbox } from '../../../sandbox/index.ts';
import { createWorkspaceTools } from '../../../tools/index.ts';
import { isTestPath } from '../../scorers/pristine-files.ts';
import { createTestsPassScorer } from '../../scorers/tests-pass-scorer.ts';
import type { SimulationPlan } from '../../sim/simulation-plan.ts';
import { answerLine, type Suite, type SuiteDefinition } from '../../suite.ts';
import { generateCodingRepositories } from './generate-coding-repos.ts';

const system =
  'You are a coding agent working in a small JavaScript repository. Use the tools to read the code, change it ' +
  'and run the tests with run_shell. When the tests pass, end your reply with a line "ANSWER: done".';

/** The built-in `coding` suite: 22 generated repositories, each graded by its own tests in the sandbox. */
export const codingSuite: SuiteDefinition = {
  name: 'coding',
  description:
    'generated small repositories (bugs to fix, functions to write, refactors) graded by their tests',
  async load(options) {
    await mkdir(options.workDirectory, { recursive: true });
    const repositories = generateCodingRepositories();
    const byId = new Map(repositories.map((repository) => [repository.sample.id, repository]));
    // One sandbox for the suite: it probes bubblewrap once.
    const sandbox = createSandbox();
    const testsPass = createTestsPassScorer({
      command: 'node test.mjs',
      sandbox,
      pristineFiles: async (sample) => {
        const files = Object.entries(byId.get(sample.id)?.files ?? {}).filter(([relative]) =>
          isTestPath(relative),
        );
        return new Map(files.map(([relative, content]) => [relative, Buffer.from(content)]));
      },
      timeoutMilliseconds: 30_000,
    });
    const suite: Suite = {
      name: 'coding',
      description: codingSuite.description,
      solver: { role: 'worker', system, maxSteps: 15 },
      samples: repositories.map((repository) => repository.sample),
      scorers: () => [testsPass],
      combination: { type: 'product' },
      entityCatalog: null,
      answerOf: answerLine,
      simulationPlan(sample): SimulationPlan {
        const repository = byId.get(sample.id);
        if (repository === undefined) throw new Error(`no repository for sample ${sample.id}`);
        return repository.plan;
      },
      async prepare(sample) {
        const repository = byId.get(sample.id);
        if (repository === undefined) throw new Error(`no repository for sample ${sample.id}`);
        const root = await mkdtemp(path.join(options.workDirectory, 'repo-'));
        for (const [relative, content] of Object.entries(repository.files)) {
          await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
          await writeFile(path.join(root, relative), content);
        }
        return {
          worktreeRoot: root,
          tools: createWorkspaceTools({ sandbox }),
          userCost: () => ({ usage: emptyUsage(), costUsd: 0 }),
          cleanup: () => rm(root, { recursive: true, force: true }),
        };
      },
      async close() {
        await rm(options.workDirectory, { recursive: true, force: true });
      },
    };
    return suite;
  },
};
