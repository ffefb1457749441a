import type { SimulationPlan } from '../sim/simulation-plan.ts';
import type { SuiteFile } from './folder-suite-schema.ts';
import type { FolderSample } from './read-folder-suite.ts';

/** An answer that no scorer of the sample accepts, built from the reference. */
function wrongAnswerFor(reference: string): string {
  const number = Number(reference.replace(/[$,\s]/g, ''));
  if (reference.trim() !== '' && Number.isFinite(number)) return String(number * 2 + 7);
  return `not ${reference}`;
}

/**
 * What an oracle sim agent does on a folder sample: it asks for each hidden fact by its first keyword, makes
 * the sample's `simulatedCalls`, and answers with the reference. A folder suite has no generator to write
 * richer plans, so sim runs show the lab working on it rather than anything about the task.
 */
export function folderSimulationPlan(suite: SuiteFile, item: FolderSample): SimulationPlan {
  const { sample } = item;
  const wrongAnswer = wrongAnswerFor(sample.reference);
  // A call the tools reject as an argument error when there are file tools; an unknown tool otherwise.
  const malformedCall =
    suite.solver.tools === 'none'
      ? { name: 'no_such_tool', input: {} }
      : { name: 'read_file', input: { path: 'no-such-file.txt' } };
  return {
    questions: sample.hiddenFacts.map((fact) => `What is the ${fact.keywords[0]}?`),
    calls: item.simulatedCalls,
    wrongCalls: null,
    malformedCall,
    answer: sample.reference,
    wrongAnswer,
    hallucinatedAnswer: suite.catalog?.decoy ?? wrongAnswer,
    prematureText: 'I could not finish this task.',
  };
}
