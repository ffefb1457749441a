// Test helpers for code that runs eval suites; production code must not import from here.
import { selectSamples } from '../runner/select-samples.ts';
import { generateCodingRepositories } from '../suites/coding/generate-coding-repos.ts';

/** One sample of the built-in `coding` suite, with the library file that passes its tests and one that fails them. */
export interface CodingSampleFiles {
  id: string;
  /** The task as the sample states it. */
  input: string;
  /** The file the task is about, relative to the repository. */
  file: string;
  /** Contents of `file` that make the sample's tests pass. */
  right: string;
  /** Contents of `file` that make them fail (the bug, or the function under its old name). */
  wrong: string;
}

/** The samples `eval run --suite coding --samples <limit>` runs, in order, with right and wrong solutions. */
export function codingSamplesOf(limit: number | undefined): CodingSampleFiles[] {
  const repositories = generateCodingRepositories();
  const picked = new Set(
    selectSamples(
      repositories.map((repository) => repository.sample),
      limit,
    ).map((sample) => sample.id),
  );
  return repositories
    .filter((repository) => picked.has(repository.sample.id))
    .map((repository) => {
      const write = (calls: typeof repository.plan.calls | null) => {
        const call = calls?.find((planned) => planned.name === 'write_file');
        const input = call?.input as { path: string; content: string } | undefined;
        if (input === undefined) throw new Error(`sample ${repository.sample.id} writes no file`);
        return input;
      };
      const right = write(repository.plan.calls);
      return {
        id: repository.sample.id,
        input: repository.sample.input,
        file: right.path,
        right: right.content,
        wrong: write(repository.plan.wrongCalls).content,
      };
    });
}
