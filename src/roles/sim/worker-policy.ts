import type { SimPolicy, SimTurn } from '../../llm/index.ts';
import { alreadyOnBranchPrefix, conflictFilesPrefix } from '../land-tool.ts';
import { briefingOf, fileTextFromReadOutput, type PastCall, pastCalls } from './conversation.ts';

/** Keeps both sides of every conflict region: right for the append-only files the sim edits. */
export function resolveByUnion(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^(<{7}|={7}|>{7}|\|{7})( |$)/.test(line))
    .join('\n');
}

function moduleSource(path: string, title: string): string {
  const name = (path.split('/').pop() ?? 'module')
    .replace(/\.ts$/, '')
    .replace(/[^a-zA-Z0-9]+(.)/g, (_, letter: string) => letter.toUpperCase());
  return `// ${title}\n// Written by cadre's simulated worker: a fixed rule, not a model, produced this file.\nexport function ${name}(): string {\n  return '${name}';\n}\n`;
}

function conflictFiles(call: PastCall | undefined): string[] {
  const line = call?.output.split('\n').find((text) => text.startsWith(conflictFilesPrefix));
  return line ? line.slice(conflictFilesPrefix.length).split(', ').filter(Boolean) : [];
}

/**
 * A rule-following worker: looks at the target directory, writes the module its task names,
 * appends an export to the area's index when the task's scope names one, lands, resolves any
 * conflict by keeping both sides, lands again, and hands off (giving up after five landings that did
 * not land). It does not understand the task.
 */
export function createSimWorkerPolicy(): SimPolicy {
  return {
    name: 'worker',
    description:
      'writes the module its task names, lands it (resolving conflicts by keeping both sides), hands off',
    respond(context): SimTurn {
      const briefing = briefingOf(context);
      if (briefing?.type !== 'worker')
        return { type: 'text', text: 'No worker briefing found; nothing to do.' };
      const [target, index] = briefing.scope;
      if (!target) return { type: 'text', text: 'The task names no file; nothing to do.' };
      const calls = pastCalls(context);
      const done = (name: string) => calls.some((call) => call.name === name);
      const directory = target.includes('/') ? target.slice(0, target.lastIndexOf('/')) : '.';
      if (calls.length === 0) {
        return {
          type: 'tool-calls',
          text: `Looking at ${directory}.`,
          toolCalls: [{ name: 'list_dir', input: { path: directory } }],
        };
      }
      if (!done('write_file')) {
        return {
          type: 'tool-calls',
          text: `Writing ${target}.`,
          toolCalls: [
            { name: 'write_file', input: { path: target, content: moduleSource(target, briefing.title) } },
          ],
        };
      }
      if (
        index &&
        !calls.some((call) => call.name === 'read_file' && (call.input as { path?: string }).path === index)
      ) {
        return { type: 'tool-calls', toolCalls: [{ name: 'read_file', input: { path: index } }] };
      }
      if (index && calls.filter((call) => call.name === 'write_file').length < 2) {
        const read = calls.find(
          (call) => call.name === 'read_file' && (call.input as { path?: string }).path === index,
        );
        const current = fileTextFromReadOutput(read?.output ?? '');
        const line = `export * from './${(target.split('/').pop() ?? '').replace(/\.ts$/, '.ts')}';`;
        return {
          type: 'tool-calls',
          text: `Adding the export to ${index}.`,
          toolCalls: [
            {
              name: 'write_file',
              input: { path: index, content: `${current.trimEnd()}\n${line}\n`.trimStart() },
            },
          ],
        };
      }
      const lands = calls.filter((call) => call.name === 'land');
      const lastLand = lands.at(-1);
      const landed =
        lastLand !== undefined &&
        (/^(landed|this task already landed|already landed)/.test(lastLand.output) ||
          lastLand.output.startsWith(alreadyOnBranchPrefix));
      if (!landed) {
        const files = conflictFiles(lastLand);
        const resolvedAfter = calls.slice(calls.lastIndexOf(lastLand as PastCall) + 1);
        if (lastLand && files.length > 0 && lands.length < 5) {
          const toRead = files.filter(
            (file) =>
              !resolvedAfter.some(
                (call) => call.name === 'read_file' && (call.input as { path?: string }).path === file,
              ),
          );
          if (toRead.length > 0) {
            return {
              type: 'tool-calls',
              text: 'Reading the conflicting files.',
              toolCalls: toRead.map((path) => ({ name: 'read_file', input: { path } })),
            };
          }
          const toWrite = files.filter(
            (file) =>
              !resolvedAfter.some(
                (call) => call.name === 'write_file' && (call.input as { path?: string }).path === file,
              ),
          );
          if (toWrite.length > 0) {
            return {
              type: 'tool-calls',
              text: 'Resolving the conflicts by keeping both sides.',
              toolCalls: toWrite.map((path) => {
                const read = resolvedAfter.find(
                  (call) => call.name === 'read_file' && (call.input as { path?: string }).path === path,
                );
                return {
                  name: 'write_file',
                  input: {
                    path,
                    content: `${resolveByUnion(fileTextFromReadOutput(read?.output ?? '')).trimEnd()}\n`,
                  },
                };
              }),
            };
          }
        }
        if (lands.length < 5) {
          return {
            type: 'tool-calls',
            text: 'Landing.',
            toolCalls: [{ name: 'land', input: { message: briefing.title } }],
          };
        }
      }
      if (!done('handoff')) {
        return {
          type: 'tool-calls',
          toolCalls: [
            {
              name: 'handoff',
              input: landed
                ? {
                    done: `Wrote ${target}${index ? ` and exported it from ${index}` : ''} (simulated worker).`,
                    left: '',
                    noticed: '',
                  }
                : {
                    done: 'Nothing landed (simulated worker).',
                    left: briefing.title,
                    noticed: '',
                    gaveUp: true,
                    reason: lastLand?.output.slice(0, 500) ?? 'land was never reached',
                  },
            },
          ],
        };
      }
      return { type: 'text', text: 'Task finished (simulated worker).' };
    },
  };
}
