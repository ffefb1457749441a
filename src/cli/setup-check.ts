import type { CadreConfig } from '../orchestrator/index.ts';
import { checkSetupSettings } from '../workspace/index.ts';
import { UsageError } from './cli-io.ts';

/** Refuses to start a run whose `workspace.setup` cannot work (exit 2), saying what to fix. */
export async function checkSetup(config: CadreConfig, repository: string | null): Promise<void> {
  const setup = config.workspace.setup;
  if (!setup) return;
  const problems = await checkSetupSettings(setup, repository);
  if (problems.length > 0)
    throw new UsageError(problems.map((problem) => `${problem.key}: ${problem.message}`).join('\n'));
}
