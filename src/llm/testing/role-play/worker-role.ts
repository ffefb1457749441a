import { type PastCall, ran, stringArgument, succeeded } from './past-calls.ts';
import {
  callTools,
  fileTextOf,
  joinPath,
  listingEntries,
  type RoleContext,
  type RoleTurn,
  scopeDirectory,
} from './role-turn.ts';

/** Lands that did not land before the worker gives up and hands the task back. */
export const workerLandAttempts = 5;

/** What a worker works out from its briefing: where it works and the file its change adds. */
export interface WorkerTarget {
  taskId: string;
  title: string;
  directory: string;
  /** The new file, named after the task id so that every task's change is its own. */
  file: string;
  /** The name the new file exports. */
  exportName: string;
}

/** Where a task's change goes: the file its scope names, else `<scope directory>/<task id>.ts`. */
export function workerTarget(taskId: string, title: string, scope: readonly string[]): WorkerTarget {
  const slug =
    taskId
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'task';
  const directory = scopeDirectory(scope);
  const named = scope[0] !== undefined && !scope[0].includes('*') && /\.\w+$/.test(scope[0]);
  const file = named ? (scope[0] as string) : joinPath(directory, `${slug}.ts`);
  const exportName = `role${slug.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toUpperCase())}`;
  return { taskId, title, directory, file, exportName };
}

function moduleText(target: WorkerTarget): string {
  return `// ${target.title}\n// Written for ${target.taskId} by the role-playing test model.\nexport function ${target.exportName}(): string {\n  return '${target.taskId}';\n}\n`;
}

type LandResult = { type: 'landed' } | { type: 'conflict'; files: string[] } | { type: 'not-landed' };

/** What a `land` result says, read the way a model reads it. */
export function readLandResult(call: PastCall): LandResult {
  const output = call.output ?? '';
  if (
    /^(landed as|this task already landed|already landed|nothing to land: your change is already)/.test(
      output,
    )
  )
    return { type: 'landed' };
  const conflict = /conflict in: (.+)$/m.exec(output);
  if (conflict) return { type: 'conflict', files: (conflict[1] ?? '').split(', ').filter(Boolean) };
  return { type: 'not-landed' };
}

/** Keeps both sides of every conflict region and drops the markers and the common ancestor's lines. */
export function resolveConflictText(text: string): string {
  const kept: string[] = [];
  let inBase = false;
  for (const line of text.split('\n')) {
    if (/^<{7}( |$)/.test(line) || /^>{7}( |$)/.test(line)) continue;
    if (/^\|{7}( |$)/.test(line)) inBase = true;
    else if (/^={7}$/.test(line)) inBase = false;
    else if (!inBase) kept.push(line);
  }
  return `${kept.join('\n').trimEnd()}\n`;
}

function wrote(calls: readonly PastCall[], path: string): boolean {
  return calls.some(
    (call) =>
      !call.failed &&
      ['write_file', 'edit_file'].includes(call.name) &&
      stringArgument(call, 'path') === path,
  );
}

/** After a conflict: read each conflicted file, write it back without markers, then land again. */
function resolveConflict(
  context: RoleContext,
  files: readonly string[],
  since: readonly PastCall[],
): RoleTurn | null {
  const reads = succeeded(since, 'read_file');
  const unread = files.filter((file) => !reads.some((call) => stringArgument(call, 'path') === file));
  if (unread.length > 0)
    return callTools(
      'Reading the conflicted files.',
      ...unread.map((path) => ({ name: 'read_file', input: { path } })),
    );
  const unwritten = files.filter((file) => !wrote(since, file));
  if (unwritten.length === 0) return null;
  const writes = unwritten.map((path) => {
    const read = reads.filter((call) => stringArgument(call, 'path') === path).at(-1);
    return {
      name: 'write_file',
      input: { path, content: resolveConflictText(fileTextOf(read?.output ?? null)) },
    };
  });
  return context.offered.has('write_file')
    ? callTools('Resolving the conflict by keeping both sides.', ...writes)
    : null;
}

/** The index edit that re-exports the new file, when the worker read an index in its directory. */
function indexEdit(
  target: WorkerTarget,
  calls: readonly PastCall[],
): { name: string; input: Record<string, unknown> } | null {
  const index = joinPath(target.directory, 'index.ts');
  const read = succeeded(calls, 'read_file').find((call) => stringArgument(call, 'path') === index);
  if (read === undefined || wrote(calls, index)) return null;
  const text = fileTextOf(read.output);
  const line = `export * from './${target.file.split('/').at(-1)}';`;
  const last = text.trimEnd().split('\n').at(-1) ?? '';
  const editFailed = calls.some((call) => call.failed && call.name === 'edit_file');
  if (last !== '' && text.split(last).length === 2 && !editFailed) {
    return {
      name: 'edit_file',
      input: { path: index, edits: [{ oldText: last, newText: `${last}\n${line}` }] },
    };
  }
  return { name: 'write_file', input: { path: index, content: `${text.trimEnd()}\n${line}\n`.trimStart() } };
}

/** Look, read, write: the steps before the first land. */
function prepare(context: RoleContext, target: WorkerTarget): RoleTurn | null {
  const { calls } = context;
  const listing = calls.find((call) => call.name === 'list_dir' && call.output !== null);
  if (listing === undefined && context.offered.has('list_dir'))
    return callTools(`Looking at ${target.directory}.`, {
      name: 'list_dir',
      input: { path: target.directory },
    });
  const entries = listing?.failed ? [] : listingEntries(listing?.output ?? null);
  const toRead = entries.includes('index.ts') ? 'index.ts' : entries.find((entry) => !entry.endsWith('/'));
  if (toRead && !calls.some((call) => call.name === 'read_file' && !call.failed))
    return callTools(`Reading ${toRead}.`, {
      name: 'read_file',
      input: { path: joinPath(target.directory, toRead) },
    });
  const edit = indexEdit(target, calls);
  if (!wrote(calls, target.file)) {
    const write = { name: 'write_file', input: { path: target.file, content: moduleText(target) } };
    return callTools(`Writing ${target.file}.`, write, ...(edit ? [edit] : []));
  }
  return edit ? callTools('Exporting the new module.', edit) : null;
}

/** Checks (with run_shell) after the last write, lands, or gives up after too many lands that did not land. */
function checkAndLand(context: RoleContext, target: WorkerTarget, lands: readonly PastCall[]): RoleTurn {
  const { calls } = context;
  const lastWrite = calls.findLastIndex(
    (call) => !call.failed && ['write_file', 'edit_file'].includes(call.name),
  );
  const checked = calls.slice(lastWrite + 1).some((call) => call.name === 'run_shell' && ran(call));
  if (context.offered.has('run_shell') && !checked) {
    const command = `grep -n "export" ${target.file}`;
    return callTools('Running a quick check.', { name: 'run_shell', input: { command } });
  }
  if (lands.length >= workerLandAttempts) {
    const reason = `land did not land after ${lands.length} attempts: ${(lands.at(-1)?.output ?? '').slice(0, 300)}`;
    const handoff = { done: 'Nothing landed.', left: target.title, noticed: '', gaveUp: true, reason };
    return callTools('Giving up.', { name: 'handoff', input: handoff });
  }
  const message = `${target.title}\n\nAdds ${target.file}.`;
  return callTools('Landing my change.', { name: 'land', input: { message } });
}

/**
 * A worker that reads its task, looks at its directory, writes a new file named after its task id
 * (and re-exports it from the directory's index.ts), runs a check, lands, resolves conflicts by
 * keeping both sides and lands again, and hands off; after five lands that did not land it gives up.
 */
export function playWorker(context: RoleContext): RoleTurn {
  const { briefing, calls } = context;
  if (briefing?.type !== 'worker') return { type: 'text', text: 'I cannot find my task in the briefing.' };
  const target = workerTarget(briefing.taskId, briefing.title, briefing.scope);
  if (succeeded(calls, 'handoff').length > 0)
    return { type: 'text', text: 'Handed off; my task is finished.' };
  const lands = calls.filter((call) => call.name === 'land' && ran(call));
  const results = lands.map(readLandResult);
  if (results.some((result) => result.type === 'landed')) {
    const conflicts = results.filter((result) => result.type === 'conflict').length;
    const noticed = conflicts > 0 ? `Resolved ${conflicts} landing conflict(s) by keeping both sides.` : '';
    const handoff = { done: `Added ${target.file} for "${target.title}".`, left: '', noticed };
    return callTools('Landed; writing my handoff.', { name: 'handoff', input: handoff });
  }
  const lastLand = lands.at(-1);
  const last = results.at(-1);
  const next =
    last?.type === 'conflict'
      ? resolveConflict(context, last.files, calls.slice(calls.indexOf(lastLand as PastCall) + 1))
      : prepare(context, target);
  return next ?? checkAndLand(context, target, lands);
}
