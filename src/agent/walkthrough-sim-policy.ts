import { lastInputText, type SimPolicy, type SimPolicyContext, type SimTurn } from '../llm/index.ts';

/** The file the walkthrough writes into the worktree. */
export const walkthroughNoteFile = 'CADRE_SIMULATION.md';

type PlannedCall = { name: string; input: (context: SimPolicyContext) => unknown; says: string };

const plan: PlannedCall[] = [
  { name: 'list_dir', input: () => ({ path: '.' }), says: 'Looking at the top of the worktree.' },
  {
    name: 'read_file',
    input: (context) => ({ path: pickFile(lastInputText(context.messages)), endLine: 40 }),
    says: 'Reading a file from the listing.',
  },
  {
    name: 'write_file',
    input: (context) => ({
      path: walkthroughNoteFile,
      content:
        `# Simulated change\n\nTask: ${taskText(context)}\n\n` +
        'Written by the sim:walkthrough policy of cadre. No model reasoned about this task; a fixed rule wrote it.\n',
    }),
    says: `Writing a note to ${walkthroughNoteFile}.`,
  },
  {
    name: 'run_shell',
    input: () => ({ command: `ls -la && wc -l ${walkthroughNoteFile}` }),
    says: 'Running a command in the sandbox.',
  },
  { name: 'git_status', input: () => ({}), says: 'Checking what changed.' },
];

/**
 * A rule-following walk through a worktree for demos and tests of the whole agent path: it lists the
 * worktree, reads a file, writes a note, runs a command and checks git status (skipping tools it lacks),
 * then stops. It never pretends to solve the task.
 */
export const walkthroughPolicy: SimPolicy = {
  name: 'walkthrough',
  description:
    'lists the worktree, reads a file, writes a note, runs a command, checks git status, then stops',
  respond(context): SimTurn {
    const available = plan.filter((call) => context.tools.some((tool) => tool.name === call.name));
    const next = available[context.step];
    if (next === undefined) {
      return {
        type: 'text',
        text:
          `Finished the simulated walkthrough after ${context.step} tool steps. ` +
          'This was a simulation: no model reasoned about the task.',
      };
    }
    return {
      type: 'tool-calls',
      text: next.says,
      toolCalls: [{ name: next.name, input: next.input(context) }],
    };
  },
};

/** The first plain file of a `list_dir` listing, preferring a README; dot-files and directories are skipped. */
function pickFile(listing: string): string {
  const files = listing
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => name !== '' && !name.startsWith('.') && !name.startsWith('(') && !/[/@]$/.test(name));
  return files.find((name) => /^readme/i.test(name)) ?? files[0] ?? 'README.md';
}

function taskText(context: SimPolicyContext): string {
  const first = context.messages.find((message) => message.role === 'user');
  return first === undefined ? '(none)' : lastInputText([first]).slice(0, 500);
}
