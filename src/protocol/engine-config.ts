import { z } from 'zod';

/** The external agent programs cadre can run as a worker. */
export const EngineName = z.enum(['claude-code', 'codex', 'opencode', 'gemini']);
/** The external agent programs cadre can run as a worker. */
export type EngineName = z.infer<typeof EngineName>;

/** Where a role chain names an engine: `engine:<name>` or `engine:<name>/<model>`. */
export const enginePrefix = 'engine:';

/** An engine named in a role chain, with the model it is told to use (null: the program's own default). */
export interface EngineRef {
  type: 'engine';
  engine: EngineName;
  model: string | null;
  /** The chain entry as written. */
  id: string;
}

/** Parses `engine:claude-code/claude-sonnet-4-5`; throws an Error whose message says what is wrong. */
export function parseEngineRef(id: string): EngineRef {
  if (!id.startsWith(enginePrefix))
    throw new Error(`"${id}" is not an engine: write engine:<name>[/<model>]`);
  const rest = id.slice(enginePrefix.length);
  const slash = rest.indexOf('/');
  const name = slash === -1 ? rest : rest.slice(0, slash);
  const model = slash === -1 ? null : rest.slice(slash + 1);
  const parsed = EngineName.safeParse(name);
  if (!parsed.success)
    throw new Error(`unknown engine "${name}" in "${id}"; known engines: ${EngineName.options.join(', ')}`);
  if (model !== null && !/^\S+$/.test(model))
    throw new Error(`engine "${id}" needs a model name after the slash, without spaces`);
  return { type: 'engine', engine: parsed.data, model, id };
}

/** Whether a role chain entry names an engine rather than a model. */
export function isEngineEntry(entry: string): boolean {
  return entry.startsWith(enginePrefix);
}

/** Settings of one engine; every field has a default, so an engine needs no entry to be used. */
export const EngineSettings = z.strictObject({
  /** The program to run: a path, or a name looked up in the package's node_modules/.bin and then PATH. */
  program: z.string().min(1).optional(),
  /** Model turns one run of the program may take before it must stop (passed as its max-turns). */
  maxTurns: z.int().min(1).max(10_000).default(200),
  /** Times cadre resumes the session to resolve a conflict or a failed landing before the task fails. */
  maxResumes: z.int().min(0).max(50).default(5),
  /** Wall time of one run of the program. */
  timeoutMs: z.int().min(1000).default(3_600_000),
});
/** Settings of one engine, after defaults. */
export type EngineSettings = z.infer<typeof EngineSettings>;

/** Per-engine settings, keyed by engine name. */
export const EnginesConfig = z.strictObject({
  'claude-code': EngineSettings.prefault({}),
  codex: EngineSettings.prefault({}),
  opencode: EngineSettings.prefault({}),
  gemini: EngineSettings.prefault({}),
});
/** Per-engine settings, keyed by engine name. */
export type EnginesConfig = z.infer<typeof EnginesConfig>;
