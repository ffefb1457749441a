import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFolderSuiteDefinition } from './folder-suite.ts';
import { FolderSuiteError } from './folder-suite-error.ts';
import { readSamples, readSuiteFile, readSystemPrompt } from './read-folder-suite.ts';

const example = path.join(import.meta.dirname, '..', '__fixtures__', 'example-suite');
const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A copy of the example suite with some files replaced. */
async function exampleWith(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'cadre-folder-suite-'));
  folders.push(folder);
  await cp(example, folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(folder, name), content);
  return folder;
}

async function exampleSuiteJson(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(example, 'suite.json'), 'utf8'));
}

async function problemOf(promise: Promise<unknown>): Promise<FolderSuiteError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FolderSuiteError);
  return error as FolderSuiteError;
}

describe('reading a suite folder', () => {
  it('reads the example suite: defaults filled, prompt from its file, facts and context resolved', async () => {
    const suite = await readSuiteFile(example);
    expect(suite.solver).toMatchObject({ role: 'worker', tools: 'files', maxSteps: 8 });
    expect(await readSystemPrompt(example, suite)).toMatch(/^You are a stockroom assistant/);
    const samples = await readSamples(example, suite);
    expect(samples.map((item) => item.sample.id)).toEqual([
      'stock-104',
      'supplier-102',
      'reorder',
      'fill-order-103',
    ]);
    expect(samples[0]!.sample.reference).toBe('57');
    expect(samples[0]!.scorers).toEqual([{ type: 'numeric', absolute: 0 }]);
    expect(samples[1]!.scorers).toEqual([{ type: 'normalized' }]);
    expect(samples[1]!.contextDirectory).toMatch(/example-suite[\\/]context$/);
    expect(samples[3]!.sample.hiddenFacts.map((fact) => fact.key)).toEqual(['quantity']);
  });

  it('names the file and key of every problem in suite.json', async () => {
    const json = await exampleSuiteJson();
    const bad = {
      ...json,
      name: 'has spaces',
      solver: { ...(json.solver as object), tools: 'network', maxSteps: 0 },
      scorers: [{ type: 'numeric' }, { type: 'rubric', rubric: 'be right' }],
      colour: 'blue',
    };
    const folder = await exampleWith({ 'suite.json': JSON.stringify(bad) });
    const error = await problemOf(readSuiteFile(folder));
    const file = path.join(folder, 'suite.json');
    const keys = error.problems.map((problem) => problem.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'name',
        'solver.tools',
        'solver.maxSteps',
        'scorers[0].relative',
        'scorers[1].grader',
        'colour',
      ]),
    );
    expect(error.problems.every((problem) => problem.file === file)).toBe(true);
    expect(error.message).toContain(`${file}: colour: unknown key`);
    expect(error.message).toContain(`${file}: scorers[0].relative: a numeric scorer needs a tolerance`);
  });

  it('reports JSON syntax errors, a missing prompt file and both or neither prompt', async () => {
    const broken = await exampleWith({ 'suite.json': '{"name": ' });
    expect((await problemOf(readSuiteFile(broken))).message).toMatch(/suite\.json: not valid JSON/);
    const json = await exampleSuiteJson();
    const solver = json.solver as Record<string, unknown>;
    const both = await exampleWith({
      'suite.json': JSON.stringify({ ...json, solver: { ...solver, system: 'hi' } }),
    });
    expect((await problemOf(readSuiteFile(both))).problems[0]).toMatchObject({ key: 'solver.system' });
    const missing = await exampleWith({
      'suite.json': JSON.stringify({ ...json, solver: { ...solver, systemFile: 'nope.md' } }),
    });
    const error = await problemOf(readSystemPrompt(missing, await readSuiteFile(missing)));
    expect(error.message).toContain(
      'suite.json: solver.systemFile: no such file in the suite folder: nope.md',
    );
    const escaping = await exampleWith({
      'suite.json': JSON.stringify({ ...json, solver: { ...solver, systemFile: '../prompt.md' } }),
    });
    expect((await problemOf(readSuiteFile(escaping))).problems[0]).toMatchObject({
      key: 'solver.systemFile',
    });
  });

  it('names the file, line and key of every problem in samples.jsonl', async () => {
    const good = '{"id":"a","input":"q","reference":"x"}';
    const lines = [
      good,
      '',
      '{"id":"b","input":"q"}',
      '{"id":"a","input":"q","reference":"y"}',
      '{"id":"c","input":"q","reference":"x","context":"missing-dir"}',
      '{"id":"d","input":"q","reference":"many","scorers":[{"type":"numeric","relative":0.1}]}',
      '{"id":"e","input":"q","reference":"x","hiddenFacts":[{"key":"k","keywords":[],"value":"v"}]}',
      '{"id":"f" "input":"q"}',
      '{"id":"g","input":"q","reference":"x","refrence":"typo"}',
    ];
    const folder = await exampleWith({ 'samples.jsonl': lines.join('\n') });
    const file = path.join(folder, 'samples.jsonl');
    const error = await problemOf(readSamples(folder, await readSuiteFile(folder)));
    const at = error.problems.map((problem) => `${problem.line}:${problem.key ?? ''}`);
    expect(at).toEqual([
      '3:reference',
      '4:id',
      '5:context',
      '6:reference',
      '7:hiddenFacts[0].keywords',
      '8:',
      '9:refrence',
    ]);
    expect(error.problems.every((problem) => problem.file === file)).toBe(true);
    expect(error.message).toContain(`${file}:4: id: "a" is already the id of line 1`);
    expect(error.message).toContain(`${file}:8: not valid JSON`);
  });

  it('refuses a context directory that leads outside the folder through a symbolic link', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'cadre-outside-'));
    folders.push(outside);
    const folder = await exampleWith({
      'samples.jsonl': '{"id":"a","input":"q","reference":"x","context":"escape"}\n',
    });
    await symlink(outside, path.join(folder, 'escape'));
    const error = await problemOf(readSamples(folder, await readSuiteFile(folder)));
    expect(error.problems).toEqual([
      expect.objectContaining({ line: 1, key: 'context', message: 'escape leads outside the suite folder' }),
    ]);
  });

  it('an empty samples file, and a model-driven user without a model, are errors at load', async () => {
    const empty = await exampleWith({ 'samples.jsonl': '\n' });
    expect((await problemOf(readSamples(empty, await readSuiteFile(empty)))).message).toMatch(
      /samples\.jsonl: has no samples/,
    );
    const json = await exampleSuiteJson();
    const folder = await exampleWith({
      'suite.json': JSON.stringify({ ...json, user: { type: 'model' } }),
    });
    const definition = await createFolderSuiteDefinition(folder);
    const signal = new AbortController().signal;
    const error = await problemOf(
      definition.load({ signal, seed: 1, workDirectory: path.join(folder, 'work') }),
    );
    expect(error.message).toContain('suite.json: user.model: required when user.type is "model"');
  });
});
