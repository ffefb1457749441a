import type { ToolContext } from '../define-tool.ts';
import { parseToolConfig, type ToolConfigInput } from '../tool-config.ts';
import { createToolCounters } from '../tool-counters.ts';

/** Options of createTestToolContext. */
export interface TestToolContextOptions {
  worktreeRoot?: string;
  signal?: AbortSignal;
  config?: ToolConfigInput;
}

/** A tool context for tests, with fresh counters and default config unless told otherwise. */
export function createTestToolContext(options: TestToolContextOptions = {}): ToolContext {
  return {
    worktreeRoot: options.worktreeRoot ?? '/nonexistent-worktree',
    signal: options.signal ?? new AbortController().signal,
    counters: createToolCounters(),
    config: parseToolConfig(options.config),
  };
}
