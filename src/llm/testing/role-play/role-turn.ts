import type { BriefingFacts } from './briefing.ts';
import type { Conversation } from './conversation.ts';
import type { PastCall } from './past-calls.ts';

/** One tool call a role-player decides to make. */
export interface PlannedCall {
  name: string;
  input: Record<string, unknown>;
}

/** What a role decides to do next: call tools (with a line of narration) or just answer. */
export type RoleTurn = { type: 'calls'; text: string; calls: PlannedCall[] } | { type: 'text'; text: string };

/** Everything a role policy decides from: the request's conversation, read three ways. */
export interface RoleContext {
  conversation: Conversation;
  calls: PastCall[];
  /** Names of the tools the request offers. */
  offered: ReadonlySet<string>;
  briefing: BriefingFacts | null;
}

/** A turn that calls tools, narrated by a line of text as models narrate their steps. */
export function callTools(text: string, ...calls: PlannedCall[]): RoleTurn {
  return { type: 'calls', text, calls };
}

/** Entries of a `list_dir` result: directories end with `/`; notes in parentheses are dropped. */
export function listingEntries(output: string | null): string[] {
  return (output ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('(') && !line.startsWith('Error'));
}

/** A file's text from a `read_file` result, whose lines are numbered (`  12\ttext`). */
export function fileTextOf(output: string | null): string {
  if (output === null || /^\(.* is empty\)$/.test(output.trim())) return '';
  return output
    .split('\n')
    .filter((line) => /^\s*\d+\t/.test(line))
    .map((line) => line.replace(/^\s*\d+\t/, ''))
    .join('\n');
}

/** A path joined from a directory ('' or '.' for the root) and a name. */
export function joinPath(directory: string, name: string): string {
  const base = directory.replace(/\/+$/, '');
  return base === '' || base === '.' ? name : `${base}/${name}`;
}

/** The directory a scope's first glob starts in: `src/api/**` → `src/api`, `**` → `.`. */
export function scopeDirectory(scope: readonly string[]): string {
  const first = scope[0] ?? '';
  const beforeGlob = first.includes('*') ? first.slice(0, first.indexOf('*')) : first;
  const lastSegment = beforeGlob.split('/').at(-1) ?? '';
  // a scope naming one file (`src/api/user.ts`) starts in that file's directory
  const directory = /\.\w+$/.test(lastSegment) ? beforeGlob.slice(0, -lastSegment.length) : beforeGlob;
  return directory.replace(/\/+$/, '') || '.';
}
