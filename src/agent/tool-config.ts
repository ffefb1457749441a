import { z } from 'zod';
import { SandboxConfig } from '../sandbox/index.ts';

/** Settings of the shell tool: the command sandbox's, and how long the model may let a command run. */
export const ShellConfig = SandboxConfig.extend({
  /** Longest a command may run when the model does not ask for less. */
  defaultTimeoutMilliseconds: z.int().positive().default(120_000),
  /** Upper bound on the timeout the model may ask for. */
  maxTimeoutMilliseconds: z.int().positive().default(600_000),
});
/** Settings of the shell tool (after defaults); a SandboxConfig with timeouts. */
export type ShellConfig = z.infer<typeof ShellConfig>;

/** Settings every tool sees through its context. */
export const ToolConfig = z.object({
  /** Characters of tool output sent to the model; longer output is cut in the middle with a note. */
  outputCapCharacters: z.int().positive().default(30_000),
  shell: ShellConfig.prefault({}),
});
/** Settings every tool sees through its context. */
export type ToolConfig = z.infer<typeof ToolConfig>;
/** Tool settings as a user writes them (every field optional). */
export type ToolConfigInput = z.input<typeof ToolConfig>;

/** Parses tool settings, filling in defaults. */
export function parseToolConfig(input: ToolConfigInput = {}): ToolConfig {
  return ToolConfig.parse(input);
}
