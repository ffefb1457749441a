import { z } from 'zod';

/** Settings of the shell tool's sandbox. */
export const ShellConfig = z.object({
  /** Longest a command may run when the model does not ask for less. */
  defaultTimeoutMilliseconds: z.int().positive().default(120_000),
  /** Upper bound on the timeout the model may ask for. */
  maxTimeoutMilliseconds: z.int().positive().default(600_000),
  /** Bytes of command output kept in memory (head and tail); the middle is dropped and counted. */
  outputCapBytes: z.int().positive().default(200_000),
  /** Let sandboxed commands use the network (off: the sandbox gets its own empty network namespace). */
  allowNetwork: z.boolean().default(false),
  /** Run commands without any sandbox when bubblewrap is missing or broken (off: the shell tool refuses). */
  allowUnsandboxed: z.boolean().default(false),
  /** The bubblewrap executable, looked up on PATH unless absolute. */
  bubblewrapPath: z.string().min(1).default('bwrap'),
  /** Shell that runs the command (`<shell> -c <command>`). */
  shellPath: z.string().min(1).default('/bin/bash'),
  /** Keep the worktree's `.git` directory read-only inside the sandbox and for the file tools. */
  protectGitDirectory: z.boolean().default(true),
  /** Extra absolute paths mounted read-write inside the sandbox (for example a shared cache). */
  extraWritablePaths: z.array(z.string().startsWith('/')).default([]),
  /** Extra absolute paths re-mounted read-only over the fresh /tmp (for example a git hub that lives in /tmp). */
  extraReadOnlyPaths: z.array(z.string().startsWith('/')).default([]),
  /** Variables added to the command's otherwise minimal environment (the agent's own environment never leaks in). */
  environment: z.record(z.string(), z.string()).default({}),
});
/** Settings of the shell tool's sandbox. */
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
