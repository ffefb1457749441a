import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Model } from '../../llm/index.ts';
import { createSandbox, type Sandbox } from '../../sandbox/index.ts';
import { readPristineFiles } from '../scorers/pristine-files.ts';
import { answerLine, type EntityCatalog, type Suite, type SuiteDefinition } from '../suite.ts';
import { prepareFolderEnvironment } from './folder-environment.ts';
import { createFolderScorer, type FolderScorerDependencies } from './folder-scorers.ts';
import { folderSimulationPlan } from './folder-simulation-plan.ts';
import { FolderSuiteError } from './folder-suite-error.ts';
import type { SuiteFile } from './folder-suite-schema.ts';
import { readSamples, readSuiteFile, readSystemPrompt, suiteFileName } from './read-folder-suite.ts';

/** Whether a directory is a suite folder (it has a `suite.json`). */
export function isSuiteFolder(directory: string): boolean {
  return existsSync(path.join(directory, suiteFileName));
}

function catalogOf(suite: SuiteFile): EntityCatalog | null {
  if (suite.catalog === undefined) return null;
  return { pattern: new RegExp(suite.catalog.pattern, 'g'), known: new Set(suite.catalog.names) };
}

/** The user model of a run: `--user-model` first, then `suite.json`'s, and none (scripted) otherwise. */
function userModelOf(suite: SuiteFile, file: string, override: string | undefined): string | undefined {
  if (override !== undefined) return override;
  if (suite.user?.type !== 'model') return undefined;
  if (suite.user.model === undefined)
    throw new FolderSuiteError([
      { file, key: 'user.model', message: 'required when user.type is "model" (or pass --user-model)' },
    ]);
  return suite.user.model;
}

/**
 * A suite defined by a folder (`suite.json`, `samples.jsonl`, context directories; see DATA-SUITES.md).
 * `suite.json` is read and validated now, so `eval list` can show the suite and a broken file fails early;
 * the samples are read by `load`.
 */
export async function createFolderSuiteDefinition(folder: string): Promise<SuiteDefinition> {
  const suiteFile = await readSuiteFile(folder);
  const file = path.join(folder, suiteFileName);
  return {
    name: suiteFile.name,
    description: suiteFile.description,
    async load(options) {
      options.signal.throwIfAborted();
      // Re-read: the folder may have changed since the definition was made (a long-lived registry).
      const config = await readSuiteFile(folder);
      const system = await readSystemPrompt(folder, config);
      const items = await readSamples(folder, config);
      const userModel = userModelOf(config, file, options.models?.userModel);
      const models = options.models;
      const needsModels =
        userModel !== undefined || items.some((item) => item.scorers.some((s) => s.type === 'rubric'));
      if (needsModels && models === undefined)
        throw new FolderSuiteError([
          {
            file,
            message: 'this suite uses models (a rubric grader or a model-driven user), and none were given',
          },
        ]);
      const byId = new Map(items.map((item) => [item.sample.id, item]));
      const itemOf = (id: string) => {
        const item = byId.get(id);
        if (item === undefined) throw new Error(`sample ${id} is not in the suite ${config.name}`);
        return item;
      };
      // One sandbox for the suite (it probes bubblewrap once) and one grader per model id, made on first use.
      let sandbox: Sandbox | undefined;
      const graders = new Map<string, Model>();
      const dependencies: FolderScorerDependencies = {
        sandbox: () => {
          sandbox ??= createSandbox();
          return sandbox;
        },
        grader: (modelId) => {
          let grader = graders.get(modelId);
          if (grader === undefined) {
            grader = models!.createModel(modelId, options.seed);
            graders.set(modelId, grader);
          }
          return grader;
        },
        costOf: (modelId, usage) => models?.costOf(modelId, usage) ?? null,
        async pristineFiles(sample, restore) {
          const context = itemOf(sample.id).contextDirectory;
          return context === null ? new Map() : readPristineFiles(context, restore);
        },
      };
      // Scorers are built once per sample, so a broken grader id fails the load, not every trial.
      const scorers = new Map(
        items.map((item) => [
          item.sample.id,
          item.scorers.map((spec) => createFolderScorer(spec, dependencies)),
        ]),
      );
      await mkdir(options.workDirectory, { recursive: true });
      const suite: Suite = {
        name: config.name,
        description: config.description,
        solver: {
          role: config.solver.role,
          system,
          maxSteps: config.solver.maxSteps,
          ...(config.solver.maxTokens === undefined ? {} : { maxTokens: config.solver.maxTokens }),
        },
        samples: items.map((item) => item.sample),
        ...(items.some((item) => item.sample.hiddenFacts.length > 0)
          ? {
              engineUnfit:
                'some of its samples hold facts only the simulated user reveals, through ask_user, which an engine cannot call',
            }
          : {}),
        scorers: (sample) => scorers.get(sample.id) ?? [],
        combination: config.combination,
        entityCatalog: catalogOf(config),
        answerOf: answerLine,
        simulationPlan: (sample) => folderSimulationPlan(config, itemOf(sample.id)),
        prepare: (sample, { seed }) =>
          prepareFolderEnvironment({
            suite: config,
            item: itemOf(sample.id),
            workDirectory: options.workDirectory,
            sandbox: dependencies.sandbox,
            models,
            userModel,
            seed,
          }),
        async close() {
          await rm(options.workDirectory, { recursive: true, force: true });
        },
      };
      return suite;
    },
  };
}

/** The suite folders in a directory: the directory itself when it is one, else its subdirectories that are. */
export async function findSuiteFolders(directory: string): Promise<string[]> {
  if (isSuiteFolder(directory)) return [directory];
  const entries = await readdir(directory, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && isSuiteFolder(path.join(directory, entry.name)))
    .map((entry) => path.join(directory, entry.name))
    .sort();
}
