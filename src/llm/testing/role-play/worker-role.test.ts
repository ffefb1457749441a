import { describe, expect, it } from 'vitest';
import { briefingText, startConversation } from './conversation-builder.ts';
import { playWorker, resolveConflictText, workerLandAttempts, workerTarget } from './worker-role.ts';

const workerTools = ['read_file', 'list_dir', 'write_file', 'edit_file', 'run_shell', 'land', 'handoff'];
const briefing = briefingText({
  type: 'worker',
  goal: 'helpers',
  runId: 'run_1',
  cycle: 1,
  maxCycles: 2,
  taskId: 'task_0ABC',
  title: 'Cycle 1: add the helper module to core',
  scope: ['src/core/**'],
});
const index = "1\t// The core area.\n2\texport const area = 'core';";

/** A worker that has listed, read and written, ready to check and land. */
function preparedWorker() {
  const chat = startConversation(workerTools, briefing);
  chat.say(playWorker(chat.context()));
  chat.results('index.ts');
  chat.say(playWorker(chat.context()));
  chat.results(index);
  chat.say(playWorker(chat.context()));
  chat.results(
    'Created src/core/task-0abc.ts (120 bytes).',
    'Edited src/core/index.ts: 1 edit(s), 1 replacement(s).',
  );
  return chat;
}

describe('the role-playing worker', () => {
  it('lists its directory, reads the index, writes a file named after its task and re-exports it', () => {
    const chat = startConversation(workerTools, briefing);
    expect(playWorker(chat.context())).toMatchObject({
      calls: [{ name: 'list_dir', input: { path: 'src/core' } }],
    });
    chat.say(playWorker(chat.context()));
    chat.results('index.ts');
    expect(playWorker(chat.context())).toMatchObject({
      calls: [{ name: 'read_file', input: { path: 'src/core/index.ts' } }],
    });
    chat.say(playWorker(chat.context()));
    chat.results(index);
    const write = playWorker(chat.context());
    expect(write).toMatchObject({
      calls: [
        {
          name: 'write_file',
          input: {
            path: 'src/core/task-0abc.ts',
            content: expect.stringContaining('export function roleTask0abc'),
          },
        },
        {
          name: 'edit_file',
          input: {
            path: 'src/core/index.ts',
            edits: [
              {
                oldText: "export const area = 'core';",
                newText: "export const area = 'core';\nexport * from './task-0abc.ts';",
              },
            ],
          },
        },
      ],
    });
  });

  it('checks with run_shell, lands, and hands off once landed', () => {
    const chat = preparedWorker();
    expect(chat.say(playWorker(chat.context()))).toMatchObject({ calls: [{ name: 'run_shell' }] });
    chat.results('2:export function roleTask0abc(): string {\nexit code 0');
    expect(chat.say(playWorker(chat.context()))).toMatchObject({
      calls: [{ name: 'land', input: { message: expect.stringContaining('Cycle 1') } }],
    });
    chat.results(
      'landed as abc123 after 1 attempt(s); files: src/core/task-0abc.ts. Now write your handoff.',
    );
    expect(chat.say(playWorker(chat.context()))).toMatchObject({
      calls: [{ name: 'handoff', input: { done: expect.stringContaining('src/core/task-0abc.ts') } }],
    });
    chat.results('handoff recorded; your session ends here.');
    expect(playWorker(chat.context()).type).toBe('text');
  });

  it('on a conflict reads the file, writes it back without markers, checks again and lands again', () => {
    const chat = preparedWorker();
    chat.say(playWorker(chat.context()));
    chat.results('exit code 0');
    chat.say(playWorker(chat.context()));
    chat.results('conflict in: src/core/index.ts\n\nYour change conflicts with the shared branch.');
    expect(chat.say(playWorker(chat.context()))).toMatchObject({
      calls: [{ name: 'read_file', input: { path: 'src/core/index.ts' } }],
    });
    chat.results(
      "1\t// The core area.\n2\texport const area = 'core';\n3\t<<<<<<< HEAD\n4\texport * from './a.ts';\n5\t=======\n6\texport * from './task-0abc.ts';\n7\t>>>>>>> mine",
    );
    expect(chat.say(playWorker(chat.context()))).toMatchObject({
      calls: [
        {
          name: 'write_file',
          input: {
            path: 'src/core/index.ts',
            content:
              "// The core area.\nexport const area = 'core';\nexport * from './a.ts';\nexport * from './task-0abc.ts';\n",
          },
        },
      ],
    });
    chat.results('Overwrote src/core/index.ts (90 bytes).');
    expect(chat.say(playWorker(chat.context()))).toMatchObject({ calls: [{ name: 'run_shell' }] });
    chat.results('exit code 0');
    expect(chat.say(playWorker(chat.context()))).toMatchObject({ calls: [{ name: 'land' }] });
    chat.results('landed as def456 after 1 attempt(s)');
    expect(playWorker(chat.context())).toMatchObject({
      calls: [{ name: 'handoff', input: { noticed: expect.stringContaining('1 landing conflict') } }],
    });
  });

  it('after a refused handoff or a land whose input broke, it still lands before handing off', () => {
    const chat = preparedWorker();
    chat.say({ type: 'calls', text: 'done', calls: [{ name: 'handoff', input: { done: 'x' } }] });
    chat.results({ output: 'Error: handoff refused: nothing has landed', isError: null });
    chat.say({ type: 'calls', text: '', calls: [{ name: 'land', input: {} }] });
    chat.results(
      'The input for land was not valid JSON (Unexpected end). Send the input as one JSON object.',
    );
    expect(playWorker(chat.context())).toMatchObject({ calls: [{ name: 'run_shell' }] });
  });

  it(`gives up with a reason after ${workerLandAttempts} lands that did not land`, () => {
    const chat = preparedWorker();
    chat.say(playWorker(chat.context()));
    chat.results('exit code 0');
    for (let attempt = 0; attempt < workerLandAttempts; attempt++) {
      expect(chat.say(playWorker(chat.context()))).toMatchObject({ calls: [{ name: 'land' }] });
      chat.results('Error: the hub refused the push: pre-receive hook declined');
    }
    expect(playWorker(chat.context())).toMatchObject({
      calls: [{ name: 'handoff', input: { gaveUp: true, reason: expect.stringContaining('hub refused') } }],
    });
  });

  it('writes the file its scope names, and works without list_dir or run_shell', () => {
    expect(workerTarget('task_1', 't', ['src/api/user.ts']).file).toBe('src/api/user.ts');
    expect(workerTarget('task_1', 't', ['**']).file).toBe('task-1.ts');
    const chat = startConversation(['write_file', 'land', 'handoff'], briefing);
    expect(chat.say(playWorker(chat.context()))).toMatchObject({ calls: [{ name: 'write_file' }] });
    chat.results('Created src/core/task-0abc.ts (120 bytes).');
    expect(playWorker(chat.context())).toMatchObject({ calls: [{ name: 'land' }] });
  });

  it('resolves conflicts by keeping both sides and dropping the common ancestor', () => {
    const text = 'a\n<<<<<<< ours\nb\n||||||| base\nold\n=======\nc\n>>>>>>> theirs\nd';
    expect(resolveConflictText(text)).toBe('a\nb\nc\nd\n');
  });
});
