import type { CadreConfig } from '../orchestrator/index.ts';
import { checkCommandProgram, checkSetupSettings } from '../workspace/index.ts';
import { UsageError } from './cli-io.ts';

/** Refuses to start a run whose `workspace.setup` or checks cannot work (exit 2), saying what to fix. */
export async function checkSetup(config: CadreConfig, repository: string | null): Promise<void> {
  const { setup, landing } = config.workspace;
  const problems = setup ? await checkSetupSettings(setup, repository) : [];
  const checks = landing.checks;
  const checksProblem = checks
    ? await checkCommandProgram(checks.command, 'workspace.landing.checks.command', repository)
    : null;
  if (checksProblem) problems.push(checksProblem);
  if (problems.length > 0)
    throw new UsageError(problems.map((problem) => `${problem.key}: ${problem.message}`).join('\n'));
}
