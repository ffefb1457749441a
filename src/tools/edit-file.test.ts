import { afterEach, describe, expect, it } from 'vitest';
import { createEditFileTool } from './edit-file.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

const editFile = createEditFileTool();
let worktree: TempWorktree;
afterEach(() => worktree.remove());

const source = 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}\n';

describe('edit_file', () => {
  it('applies several exact edits in order', async () => {
    worktree = await createTempWorktree({ files: { 'math.js': source } });
    const outcome = await editFile.execute(
      {
        path: 'math.js',
        edits: [
          { oldText: 'return a + b;', newText: 'return a + b + 0;' },
          { oldText: 'function sub', newText: 'function subtract' },
        ],
      },
      worktree.context,
    );
    expect(outcome).toMatchObject({
      type: 'success',
      output: 'Edited math.js: 2 edit(s), 2 replacement(s).',
    });
    expect(await worktree.read('math.js')).toBe(
      source.replace('a + b;', 'a + b + 0;').replace('function sub', 'function subtract'),
    );
  });

  it('replaces every occurrence with replaceAll', async () => {
    worktree = await createTempWorktree({ files: { 'math.js': source } });
    await editFile.execute(
      { path: 'math.js', edits: [{ oldText: '(a, b)', newText: '(x, y)', replaceAll: true }] },
      worktree.context,
    );
    expect(await worktree.read('math.js')).not.toContain('(a, b)');
  });

  it('fails when the text is missing, and hints at whitespace', async () => {
    worktree = await createTempWorktree({ files: { 'math.js': source } });
    const missing = await editFile.execute(
      { path: 'math.js', edits: [{ oldText: 'return a * b;', newText: '' }] },
      worktree.context,
    );
    expect(missing).toMatchObject({ type: 'tool-error' });
    expect(missing.output).toBe('Error: The edit: oldText was not found in math.js. Nothing was changed.');
    const indented = await editFile.execute(
      { path: 'math.js', edits: [{ oldText: '    return a + b;', newText: '' }] },
      worktree.context,
    );
    expect(indented.output).toContain('a match exists if whitespace is ignored');
  });

  it('fails when the text is not unique', async () => {
    worktree = await createTempWorktree({ files: { 'math.js': source } });
    const outcome = await editFile.execute(
      { path: 'math.js', edits: [{ oldText: '(a, b)', newText: '()' }] },
      worktree.context,
    );
    expect(outcome.output).toContain('oldText occurs 2 times in math.js');
  });

  it('changes nothing when any edit fails', async () => {
    worktree = await createTempWorktree({ files: { 'math.js': source } });
    const outcome = await editFile.execute(
      {
        path: 'math.js',
        edits: [
          { oldText: 'return a + b;', newText: 'return 0;' },
          { oldText: 'not there', newText: 'x' },
        ],
      },
      worktree.context,
    );
    expect(outcome.output).toContain('Edit 2 of 2: oldText was not found');
    expect(await worktree.read('math.js')).toBe(source);
  });

  it('rejects identical text, a missing file, no edits and an escape', async () => {
    worktree = await createTempWorktree({ files: { 'math.js': source } });
    const run = (input: object) => editFile.execute(input, worktree.context);
    expect((await run({ path: 'math.js', edits: [{ oldText: 'a', newText: 'a' }] })).output).toContain(
      'identical',
    );
    expect((await run({ path: 'nope.js', edits: [{ oldText: 'a', newText: 'b' }] })).output).toContain(
      'No such file',
    );
    expect((await run({ path: 'math.js', edits: [] })).type).toBe('invalid-input');
    expect((await run({ path: '../math.js', edits: [{ oldText: 'a', newText: 'b' }] })).output).toContain(
      'outside the worktree',
    );
    expect(worktree.context.counters.missingPathReferences).toBe(1);
  });
});
