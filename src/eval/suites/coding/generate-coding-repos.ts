import type { SimulationPlan } from '../../sim/simulation-plan.ts';
import type { Sample } from '../../suite.ts';
import { type FunctionTemplate, functionTemplates } from './coding-templates.ts';

/** What a generated repository asks for. */
export type CodingTaskKind = 'fix-bug' | 'write-function' | 'refactor';

/** A generated repository: its files, the sample that describes the task, and the oracle's plan. */
export interface CodingRepository {
  files: Record<string, string>;
  sample: Sample;
  plan: SimulationPlan;
}

const libraryFile = 'src/library.mjs';

function functionSource(template: FunctionTemplate, name: string, body: string): string {
  return `/** ${template.description}. */\nexport function ${name}(${template.parameters}) {\n  ${body}\n}\n`;
}

function testSource(template: FunctionTemplate): string {
  return `import assert from 'node:assert/strict';\nimport { ${template.name} } from './src/library.mjs';\n\n${template.tests.map((line) => `${line};`).join('\n')}\nconsole.log('all tests passed');\n`;
}

/** One repository per template; the kind rotates so every kind has seven. */
export function generateCodingRepositories(): CodingRepository[] {
  return functionTemplates.map((template, index) => {
    const kinds: CodingTaskKind[] = ['fix-bug', 'write-function', 'refactor'];
    const kind = kinds[index % kinds.length]!;
    const correct = functionSource(template, template.name, template.correct);
    const start =
      kind === 'fix-bug'
        ? functionSource(template, template.name, template.buggy)
        : kind === 'write-function'
          ? functionSource(template, template.name, "throw new Error('not implemented');")
          : functionSource(template, `legacy_${template.name}`, template.correct);
    const task =
      kind === 'fix-bug'
        ? `The function ${template.name} in ${libraryFile} should return ${template.description}, but its tests fail. Fix the bug.`
        : kind === 'write-function'
          ? `Implement ${template.name} in ${libraryFile}: it should return ${template.description}.`
          : `Rename the exported function legacy_${template.name} in ${libraryFile} to ${template.name} without changing what it does.`;
    const sample: Sample = {
      id: `${kind}-${template.name}`,
      taskType: kind,
      input: `${task} The tests run with \`node test.mjs\`. When you are done, end your reply with a line "ANSWER: done".`,
      context: {},
      reference: 'done',
      hiddenFacts: [],
    };
    const read = { name: 'read_file', input: { path: libraryFile } };
    const plan: SimulationPlan = {
      questions: [],
      calls: [
        read,
        { name: 'write_file', input: { path: libraryFile, content: correct } },
        { name: 'run_shell', input: { command: 'node test.mjs' } },
      ],
      wrongCalls: [
        read,
        {
          name: 'write_file',
          input: { path: libraryFile, content: functionSource(template, template.name, template.buggy) },
        },
      ],
      malformedCall: { name: 'read_file', input: { path: 'src/does-not-exist.mjs' } },
      answer: 'done',
      wrongAnswer: 'done',
      hallucinatedAnswer: 'done',
      prematureText: 'I looked at the code; the change still needs to be made.',
    };
    return {
      files: {
        [libraryFile]: start,
        'test.mjs': testSource(template),
        'package.json': '{ "type": "module" }\n',
      },
      sample,
      plan,
    };
  });
}
