import { cp, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Tool } from '../../agent/index.ts';
import { emptyUsage } from '../../llm/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import type { SuiteModels, TrialEnvironment } from '../suite.ts';
import { createAskUserTool } from '../user/ask-user-tool.ts';
import { createTrialUser } from '../user/create-trial-user.ts';
import type { SuiteFile } from './folder-suite-schema.ts';
import { createFolderToolSet } from './folder-tool-sets.ts';
import type { FolderSample } from './read-folder-suite.ts';

/** What preparing one folder-suite trial needs. */
export interface FolderEnvironmentOptions {
  suite: SuiteFile;
  item: FolderSample;
  workDirectory: string;
  sandbox: () => Sandbox;
  models: SuiteModels | undefined;
  /** The model that plays the user, or undefined for the scripted user. */
  userModel: string | undefined;
  seed: number;
}

/**
 * A fresh trial: a copy of the sample's context directory (empty when it has none) as the working
 * directory, so neither the agent nor a tests-pass command can change the suite folder; the suite's tool
 * set over it; and `ask_user` when the sample holds hidden facts.
 */
export async function prepareFolderEnvironment(options: FolderEnvironmentOptions): Promise<TrialEnvironment> {
  const root = await mkdtemp(path.join(options.workDirectory, 'trial-'));
  try {
    if (options.item.contextDirectory !== null)
      await cp(options.item.contextDirectory, root, { recursive: true });
    const tools: Tool[] = createFolderToolSet(options.suite.solver.tools, options.sandbox);
    const user = createTrialUser({
      persona: options.suite.user?.persona ?? 'the user',
      facts: options.item.sample.hiddenFacts,
      userModel: options.userModel,
      models: options.models,
      seed: options.seed,
    });
    if (user !== null)
      tools.push(
        createAskUserTool(
          user,
          options.suite.user?.toolDescription ?? 'Ask the user a question about the task.',
        ),
      );
    return {
      worktreeRoot: root,
      tools,
      userCost: () => user?.cost() ?? { usage: emptyUsage(), costUsd: 0 },
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
