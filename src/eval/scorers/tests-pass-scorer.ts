import { realpath } from 'node:fs/promises';
import { parseToolConfig, type ShellConfig } from '../../agent/index.ts';
import type { Sandbox } from '../../tools/index.ts';
import { binaryScore, type Scorer } from './scorer.ts';

/** Options of createTestsPassScorer. */
export interface TestsPassScorerOptions {
  /** The command that runs the tests; exit code 0 passes. */
  command: string;
  sandbox: Sandbox;
  timeoutMilliseconds?: number;
  shell?: Partial<ShellConfig>;
}

/** Runs the repository's own tests in the sandbox over the trial's end state. */
export function createTestsPassScorer(options: TestsPassScorerOptions): Scorer {
  const config = parseToolConfig({ shell: options.shell ?? {} }).shell;
  return {
    name: 'tests-pass',
    async score({ environment, signal }) {
      const root = await realpath(environment.worktreeRoot);
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
      const tail = output.trim().split('\n').slice(-5).join('\n');
      return binaryScore('tests-pass', passed, `${options.command}: ${JSON.stringify(end)}\n${tail}`);
    },
  };
}
