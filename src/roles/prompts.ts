import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The roles that ship with a prompt file. */
export const builtInRoles = ['planner', 'worker', 'judge'] as const;
/** A role that ships with a prompt file. */
export type BuiltInRole = (typeof builtInRoles)[number];

/** A prompt as an agent ran with it. */
export interface LoadedPrompt {
  role: string;
  text: string;
  /** First 16 hex digits of the SHA-256 of the text: agents record it so results compare by prompt version. */
  hash: string;
  /** The file it came from. */
  path: string;
  source: 'project' | 'built-in';
}

/** Where cadre's own prompt files live. */
export const builtInPromptDirectory = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** Hash of a prompt text as recorded on agents. */
export function promptHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Options for loading a prompt. */
export interface LoadPromptOptions {
  /** The user's repository; `.cadre/prompts/<role>.md` in it overrides the built-in prompt. */
  projectDirectory?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Loads the prompt of a role: the project's override when there is one, else cadre's own file. */
export async function loadPrompt(role: string, options: LoadPromptOptions = {}): Promise<LoadedPrompt> {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(role)) throw new Error(`"${role}" is not a role name`);
  const candidates: { path: string; source: LoadedPrompt['source'] }[] = [];
  if (options.projectDirectory) {
    candidates.push({
      path: join(options.projectDirectory, '.cadre', 'prompts', `${role}.md`),
      source: 'project',
    });
  }
  candidates.push({ path: join(builtInPromptDirectory, `${role}.md`), source: 'built-in' });
  for (const candidate of candidates) {
    if (!existsSync(candidate.path)) continue;
    const text = await readFile(candidate.path, { encoding: 'utf8', signal: options.signal });
    return { role, text, hash: promptHash(text), path: candidate.path, source: candidate.source };
  }
  throw new Error(
    `no prompt for role "${role}": write ${candidates[0]?.path ?? `${role}.md`} (cadre ships planner, worker and judge)`,
  );
}
