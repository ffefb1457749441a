import { cp, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Sandbox, SandboxConfig, type SandboxConfigInput, sandboxNotes } from '../../sandbox/index.ts';
import type { Sample } from '../suite.ts';
import { type PristineFiles, restorePristineFiles } from './pristine-files.ts';
import { binaryScore, type Scorer } from './scorer.ts';

/** Options of createTestsPassScorer. */
export interface TestsPassScorerOptions {
  /** The command that runs the tests; exit code 0 passes. */
  command: string;
  sandbox: Sandbox;
  timeoutMilliseconds?: number;
  sandboxConfig?: SandboxConfigInput;
  /**
   * The suite's own test files for a sample, as shipped. They are written over the agent's copies
   * before grading, so an agent that edits or deletes the tests does not pass by it.
   */
  pristineFiles: (sample: Sample) => Promise<PristineFiles>;
}

/**
 * Runs the tests in the sandbox over a copy of the trial's end state with the suite's tests
 * restored; the trial itself is left as the agent left it, for the other scorers.
 */
export function createTestsPassScorer(options: TestsPassScorerOptions): Scorer {
  const config = SandboxConfig.parse(options.sandboxConfig ?? {});
  return {
    name: 'tests-pass',
    async score({ sample, environment, signal }) {
      const pristine = await options.pristineFiles(sample);
      const copy = await mkdtemp(path.join(tmpdir(), 'cadre-grade-'));
      try {
        const root = await realpath(copy);
        await cp(environment.worktreeRoot, root, { recursive: true, verbatimSymlinks: true });
        await restorePristineFiles(root, pristine);
        const run = await options.sandbox.run({
          command: options.command,
          worktreeRoot: root,
          workingDirectory: root,
          timeoutMilliseconds: options.timeoutMilliseconds ?? 60_000,
          config,
          signal,
        });
        if (run.type === 'refused') throw new Error(`cannot run the tests: ${run.reason}`);
        const { end, output } = run.result;
        const passed = end.type === 'exited' && end.exitCode === 0;
        const tail = [...output.trim().split('\n').slice(-5), ...sandboxNotes(run, config)].join('\n');
        const restored = pristine.size === 0 ? '' : ` (with the suite's ${[...pristine.keys()].join(', ')})`;
        return binaryScore(
          'tests-pass',
          passed,
          `${options.command}${restored}: ${JSON.stringify(end)}\n${tail}`,
        );
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    },
  };
}
