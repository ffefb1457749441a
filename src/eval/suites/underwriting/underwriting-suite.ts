import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { emptyUsage } from '../../../llm/index.ts';
import {
  createExactMatchScorer,
  createNumericToleranceScorer,
  createSetMatchScorer,
} from '../../scorers/match-scorers.ts';
import type { Scorer } from '../../scorers/scorer.ts';
import { createStateCheckScorer } from '../../scorers/state-check-scorer.ts';
import type { SimulationPlan } from '../../sim/simulation-plan.ts';
import { answerLine, type Sample, type Suite, type SuiteDefinition } from '../../suite.ts';
import { createAskUserTool } from '../../user/ask-user-tool.ts';
import { createTrialUser } from '../../user/create-trial-user.ts';
import { generateWorld, writeWorldDatabase } from './generate-world.ts';
import { guidelineSections } from './guidelines.ts';
import type { UnderwritingGrading } from './underwriting-sample-parts.ts';
import { buildUnderwritingSamples } from './underwriting-samples.ts';
import {
  createLookupGuidelineTool,
  createRecordDecisionTool,
  createSqlQueryTool,
} from './underwriting-tools.ts';
import { productCodePattern, products } from './world-catalog.ts';

const system =
  'You are an underwriting assistant for a small-commercial insurer. Use the tools to look facts up in the ' +
  'database and the guidelines; never guess a fact you can look up, and never name a product that is not in ' +
  'the catalog. When a fact is not in the database, ask the junior underwriter with ask_user. End your reply ' +
  'with a line "ANSWER: <answer>".';

/** The file each trial's copy of the world database is called. */
export const worldDatabaseFile = 'world.db';

/** The decision recorded for the sample's business and product must be the reference, and the only one. */
const decisionRecorded = createStateCheckScorer('decision-recorded', async (environment, sample) => {
  const database = new Database(path.join(environment.worktreeRoot, worldDatabaseFile), { readonly: true });
  try {
    const rows = database
      .prepare('SELECT decision FROM decisions WHERE business_id = ? AND product_code = ?')
      .all(sample.context.businessId, sample.context.productCode) as Array<{ decision: string }>;
    const decisions = rows.map((row) => row.decision);
    const passed = decisions.length > 0 && decisions.every((decision) => decision === sample.reference);
    return { passed, explanation: `recorded [${decisions.join(', ')}], expected ${sample.reference}` };
  } finally {
    database.close();
  }
});

function scorersFor(sample: Sample): Scorer[] {
  const grading = sample.context.grading as UnderwritingGrading;
  switch (grading) {
    case 'normalized':
      return [createExactMatchScorer({ normalized: true })];
    case 'set':
      return [createSetMatchScorer()];
    case 'numeric':
      return [createNumericToleranceScorer({ relative: 0.005 })];
    case 'decision':
      return [createExactMatchScorer({ normalized: true }), decisionRecorded];
    default:
      return assertNever(grading);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}

/** The built-in `underwriting` suite: a generated small-commercial world in SQLite, guidelines and nine task types. */
export const underwritingSuite: SuiteDefinition = {
  name: 'underwriting',
  description:
    'small-commercial underwriting copilot: SQL and guideline tools, 72 samples, a junior underwriter to ask',
  async load(options) {
    await mkdir(options.workDirectory, { recursive: true });
    const world = generateWorld(options.seed);
    const template = path.join(options.workDirectory, 'world-template.db');
    writeWorldDatabase(world, template);
    const sections = guidelineSections();
    const planned = buildUnderwritingSamples(world, options.seed);
    const plans = new Map<string, SimulationPlan>(planned.map((item) => [item.sample.id, item.plan]));
    const suite: Suite = {
      name: 'underwriting',
      description: underwritingSuite.description,
      solver: { role: 'worker', system, maxSteps: 12 },
      engineUnfit:
        'its tasks are answered through its own tools (sql_query, lookup_guideline, record_decision, ask_user), which an engine cannot call',
      samples: planned.map((item) => item.sample),
      scorers: scorersFor,
      combination: { type: 'product' },
      entityCatalog: { pattern: productCodePattern, known: new Set(products.map((product) => product.code)) },
      answerOf: answerLine,
      simulationPlan(sample) {
        const plan = plans.get(sample.id);
        if (plan === undefined) throw new Error(`no plan for sample ${sample.id}`);
        return plan;
      },
      async prepare(sample, { seed }) {
        const directory = await mkdtemp(path.join(options.workDirectory, 'trial-'));
        const file = path.join(directory, worldDatabaseFile);
        await copyFile(template, file);
        const database = new Database(file);
        const tools = [
          createSqlQueryTool(database),
          createLookupGuidelineTool(sections),
          createRecordDecisionTool(database),
        ];
        // Scripted unless the caller asked for a model to play the junior underwriter (--user-model).
        const user = createTrialUser({
          persona: 'junior underwriter',
          facts: sample.hiddenFacts,
          userModel: options.models?.userModel,
          models: options.models,
          seed,
        });
        if (user !== null)
          tools.push(
            createAskUserTool(user, 'Ask the junior underwriter who brought the prospect a question.'),
          );
        return {
          worktreeRoot: directory,
          tools,
          userCost: () => user?.cost() ?? { usage: emptyUsage(), costUsd: 0 },
          async cleanup() {
            database.close();
            await rm(directory, { recursive: true, force: true });
          },
        };
      },
      async close() {
        await rm(options.workDirectory, { recursive: true, force: true });
      },
    };
    return suite;
  },
};
